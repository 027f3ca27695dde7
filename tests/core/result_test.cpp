#include "core/result.h"

#include <gtest/gtest.h>

namespace inhouse {
namespace {

Result<int> parse_positive(int value) {
    if (value <= 0) return make_error(ErrorCode::InvalidArgument, "{} is not positive", value);
    return value;
}

Result<int> doubled(int value) {
    INHOUSE_ASSIGN_OR_RETURN(const int checked, parse_positive(value));
    return checked * 2;
}

Status check_twice(int value) {
    INHOUSE_RETURN_IF_ERROR(doubled(value).ok() ? Status() : Status(doubled(value).error()));
    return {};
}

TEST(Result, CarriesAValueOrAnError) {
    const auto good = doubled(21);
    ASSERT_TRUE(good.ok());
    EXPECT_EQ(*good, 42);
    const auto bad = doubled(-1);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(bad.error().to_string(), "-1 is not positive");
    EXPECT_FALSE(check_twice(0).ok());
    EXPECT_TRUE(check_twice(3).ok());
}

TEST(Result, ContextIsPrintedOutermostFirst) {
    auto error = make_error(ErrorCode::InvalidFormat, "bad magic");
    error.context("reading {}", "model.gguf").context("loading model '{}'", "smollm2");
    EXPECT_EQ(error.to_string(), "loading model 'smollm2': reading model.gguf: bad magic");
    EXPECT_EQ(error.message(), "bad magic");
}

}  // namespace
}  // namespace inhouse
