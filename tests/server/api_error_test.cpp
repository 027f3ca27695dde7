// The OpenAI error shape and the status of every error helper.
#include "server/api_error.h"

#include <gtest/gtest.h>

namespace inhouse::server {
namespace {

std::optional<std::string> header(const ApiError& error, const std::string& name) {
    for (const auto& [key, value] : error.headers) {
        if (key == name) return value;
    }
    return std::nullopt;
}

TEST(ApiError, HasOpenAIShapeWithNullParamAndCode) {
    const auto json = internal_error("boom").to_json();
    ASSERT_TRUE(json.contains("error"));
    const auto& error = json["error"];
    EXPECT_EQ(error["message"], "boom");
    EXPECT_EQ(error["type"], "server_error");
    EXPECT_TRUE(error["param"].is_null());
    EXPECT_TRUE(error["code"].is_null());
}

TEST(ApiError, InvalidRequestNamesTheParam) {
    const ApiError error = invalid_request("bad", "temperature");
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.to_json()["error"]["param"], "temperature");
    EXPECT_EQ(error.to_json()["error"]["type"], "invalid_request_error");
}

TEST(ApiError, StatusesAndHeaders) {
    EXPECT_EQ(model_not_found("gpt-4").status, 404);
    EXPECT_EQ(model_not_found("gpt-4").code, "model_not_found");
    EXPECT_EQ(model_not_found("gpt-4").param, "model");
    EXPECT_EQ(unknown_path("GET", "/nope").status, 404);
    const ApiError wrong_method = method_not_allowed("GET", "/v1/completions", "POST");
    EXPECT_EQ(wrong_method.status, 405);
    EXPECT_EQ(header(wrong_method, "Allow"), "POST");
    EXPECT_EQ(body_too_large(1024).status, 413);
    const ApiError full = queue_full("busy");
    EXPECT_EQ(full.status, 429);
    EXPECT_EQ(header(full, "Retry-After"), "1");
    EXPECT_EQ(not_ready("loading").status, 503);
    EXPECT_EQ(internal_error("bug").status, 500);
}

TEST(ApiError, EngineErrorsMapToStatusAndParam) {
    const ApiError temperature = from_engine_error(
        make_error(ErrorCode::InvalidArgument, "temperature must be a finite number >= 0, got -1"), "messages");
    EXPECT_EQ(temperature.status, 400);
    EXPECT_EQ(temperature.param, "temperature");
    const ApiError stop = from_engine_error(make_error(ErrorCode::InvalidArgument, "stop[2] is empty"), std::nullopt);
    EXPECT_EQ(stop.param, "stop");
    const ApiError penalty =
        from_engine_error(make_error(ErrorCode::InvalidArgument, "repetition_penalty must be > 0"), std::nullopt);
    EXPECT_EQ(penalty.param, "repeat_penalty");
    const ApiError prompt =
        from_engine_error(make_error(ErrorCode::InvalidArgument, "the prompt leaves no room"), "prompt");
    EXPECT_EQ(prompt.status, 400);
    EXPECT_EQ(prompt.param, "prompt");
    const ApiError template_limit = from_engine_error(make_error(ErrorCode::Unsupported, "output limit"), "messages");
    EXPECT_EQ(template_limit.status, 400);
    const ApiError full = from_engine_error(make_error(ErrorCode::ResourceExhausted, "queue full"), std::nullopt);
    EXPECT_EQ(full.status, 429);
    EXPECT_EQ(header(full, "Retry-After"), "1");
    EXPECT_EQ(from_engine_error(make_error(ErrorCode::Internal, "bug"), std::nullopt).status, 500);
}

}  // namespace
}  // namespace inhouse::server
