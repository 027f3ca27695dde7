#include "sampling/logprobs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace inhouse::sampling {
namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();

TEST(LogSumExp, IsTheLogOfTheSumOfExponentialsIgnoringMinusInfinity) {
    const std::vector<float> logits = {std::log(1.0f), -kInfinity, std::log(3.0f)};
    EXPECT_NEAR(log_sum_exp(logits), std::log(4.0), 1e-6);
}

TEST(LogSumExp, StaysFiniteForHugeLogits) {
    const std::vector<float> logits = {1000.0f, 1000.0f};
    EXPECT_NEAR(log_sum_exp(logits), 1000.0 + std::log(2.0), 1e-9);
}

TEST(LogSumExp, IsMinusInfinityWhenEveryLogitIs) {
    const std::vector<float> logits = {-kInfinity, -kInfinity};
    EXPECT_EQ(log_sum_exp(logits), -std::numeric_limits<double>::infinity());
}

TEST(TopLogprobs, ListsTheBestTokensBestFirstWithTheLowerIdFirstOnTies) {
    const std::vector<float> logits = {1.0f, 3.0f, 3.0f, -kInfinity, 2.0f, 0.0f};
    const double normalizer = log_sum_exp(logits);
    std::vector<TokenLogprob> top(3);
    ASSERT_EQ(select_top_logprobs(logits, normalizer, top), 3U);
    const TokenId expected_ids[] = {1, 2, 4};
    for (std::size_t rank = 0; rank < 3; ++rank) {
        const TokenId id = expected_ids[rank];
        EXPECT_EQ(top[rank].id, id) << "rank " << rank;
        EXPECT_NEAR(top[rank].logprob, logits[static_cast<std::size_t>(id)] - normalizer, 1e-6);
    }
}

TEST(TopLogprobs, ListsOnlyTokensThatCanBeSampled) {
    const std::vector<float> logits = {-kInfinity, 0.5f, -kInfinity};
    std::vector<TokenLogprob> top(3);
    ASSERT_EQ(select_top_logprobs(logits, log_sum_exp(logits), top), 1U);
    EXPECT_EQ(top[0].id, 1);
    EXPECT_NEAR(top[0].logprob, 0.0f, 1e-7);
}

TEST(TopLogprobs, HandlesLogitsThatRiseWithTheId) {
    std::vector<float> logits;
    for (int id = 0; id < 100; ++id) {
        logits.push_back(static_cast<float>(id) * 0.1f);
    }
    std::vector<TokenLogprob> top(4);
    ASSERT_EQ(select_top_logprobs(logits, log_sum_exp(logits), top), 4U);
    EXPECT_EQ(top[0].id, 99);
    EXPECT_EQ(top[1].id, 98);
    EXPECT_EQ(top[2].id, 97);
    EXPECT_EQ(top[3].id, 96);
    EXPECT_GT(top[0].logprob, top[1].logprob);
}

}  // namespace
}  // namespace inhouse::sampling
