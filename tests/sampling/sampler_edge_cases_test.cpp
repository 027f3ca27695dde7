// Sampler inputs at the edges: nothing to sample, infinities, log-probabilities, allocation.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "sampling/allocation_counter.h"
#include "sampling/sampler.h"

namespace inhouse::sampling {
namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

TEST(SamplerEdgeCases, WithNothingToSampleReturnsTheFirstEndOfGenerationToken) {
    for (const float temperature : {0.0f, 1.0f}) {
        Sampler sampler(SamplingParams{.temperature = temperature, .end_of_generation_ids = {3, 1}},
                        5);
        std::vector<float> masked(5, -kInfinity);
        EXPECT_EQ(sampler.sample(masked, {}), 3) << "temperature " << temperature;
        std::vector<float> broken(5, kNaN);
        EXPECT_EQ(sampler.sample(broken, {}), 3) << "temperature " << temperature;
    }
}

TEST(SamplerEdgeCases, WithNothingToSampleAndNoEndTokenReturnsIdZero) {
    Sampler sampler(SamplingParams{.top_k = 2, .top_p = 0.5f, .min_p = 0.5f}, 4);
    std::vector<float> masked = {-kInfinity, kNaN, -kInfinity, kNaN};
    EXPECT_EQ(sampler.sample(masked, {}), 0);
}

TEST(SamplerEdgeCases, BanningEveryTokenEndsTheCompletion) {
    SamplingParams params{.seed = 1, .end_of_generation_ids = {2}};
    for (TokenId id = 0; id < 4; ++id) {
        params.logit_bias[id] = kBanBias;
    }
    Sampler sampler(params, 4);
    std::vector<float> logits = {1.0f, 2.0f, 3.0f, 4.0f};
    EXPECT_EQ(sampler.sample(logits, {}), 2);
}

TEST(SamplerEdgeCases, PlusInfinityLogitsTieAndWinOverEveryFiniteOne) {
    Sampler sampler(SamplingParams{.seed = 10}, 4);
    int n_first = 0;
    for (int draw = 0; draw < 2000; ++draw) {
        std::vector<float> logits = {kInfinity, 1e30f, kInfinity, kNaN};
        const TokenId id = sampler.sample(logits, {});
        ASSERT_TRUE(id == 0 || id == 2) << id;
        n_first += id == 0 ? 1 : 0;
    }
    EXPECT_NEAR(n_first, 1000, 150);

    Sampler greedy(SamplingParams{.temperature = 0.0f}, 4);
    std::vector<float> logits = {1.0f, kInfinity, kInfinity, 2.0f};
    EXPECT_EQ(greedy.sample(logits, {}), 1);
}

TEST(SamplerEdgeCases, APenaltyThatOverflowsALogitToInfinityStillSamplesIt) {
    // 3e38 / 0.5 is +inf in float; the row must come out finite and the token still win.
    Sampler sampler(SamplingParams{.repetition_penalty = 0.5f, .seed = 15}, 3);
    const std::vector<TokenId> context = {0};
    for (int draw = 0; draw < 100; ++draw) {
        std::vector<float> logits = {3e38f, 1.0f, kNaN};
        ASSERT_EQ(sampler.sample(logits, context), 0);
        ASSERT_EQ(logits[0], std::numeric_limits<float>::max());
        ASSERT_EQ(logits[2], -kInfinity);
    }
}

TEST(SamplerEdgeCases, NeverReturnsAnIdOutsideTheVocabulary) {
    // Extreme but finite logits, every truncation on, a tiny temperature and many seeds.
    const std::vector<float> logits = {-3e38f, 3e38f, -1e-38f, 0.0f, 3e38f, -kInfinity, 1.0f};
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        Sampler sampler(
            SamplingParams{
                .temperature = 1e-30f, .top_k = 5, .top_p = 0.3f, .min_p = 0.9f, .seed = seed},
            7);
        std::vector<float> row = logits;
        const TokenId id = sampler.sample(row, {});
        ASSERT_TRUE(id == 1 || id == 4) << "seed " << seed << " gave " << id;
    }
}

TEST(SamplerEdgeCases, LogprobsDescribeTheBiasedDistributionBeforeTruncationAndTemperature) {
    const std::vector<float> logits = {1.0f, 2.0f, 0.5f, 3.0f, -1.0f};
    // Truncation and temperature must not change the reported numbers; the bias must.
    Sampler sampler(SamplingParams{.temperature = 0.3f,
                                   .top_k = 1,
                                   .logit_bias = {{4, 2.5f}},
                                   .seed = 12,
                                   .logprobs = true,
                                   .top_logprobs = 3},
                    5);
    std::vector<float> row = logits;
    EXPECT_EQ(sampler.sample(row, {}), 3);  // top_k = 1 leaves only the best

    const std::vector<double> biased = {1.0, 2.0, 0.5, 3.0, 1.5};
    double total = 0.0;
    for (const double logit : biased) {
        total += std::exp(logit);
    }
    const auto expected_logprob = [&](TokenId id) {
        return biased[static_cast<std::size_t>(id)] - std::log(total);
    };
    EXPECT_EQ(sampler.sampled_logprob().id, 3);
    EXPECT_NEAR(sampler.sampled_logprob().logprob, expected_logprob(3), 1e-6);
    const std::span<const TokenLogprob> top = sampler.top_logprobs();
    ASSERT_EQ(top.size(), 3U);
    const TokenId expected_ids[] = {3, 1, 4};
    for (std::size_t rank = 0; rank < top.size(); ++rank) {
        EXPECT_EQ(top[rank].id, expected_ids[rank]) << "rank " << rank;
        EXPECT_NEAR(top[rank].logprob, expected_logprob(expected_ids[rank]), 1e-6);
    }
}

TEST(SamplerEdgeCases, LogprobOfAFallbackTokenIsMinusInfinity) {
    Sampler sampler(
        SamplingParams{.temperature = 0.0f, .logprobs = true, .end_of_generation_ids = {1}}, 3);
    std::vector<float> masked(3, -kInfinity);
    EXPECT_EQ(sampler.sample(masked, {}), 1);
    EXPECT_EQ(sampler.sampled_logprob().logprob, -kInfinity);
    EXPECT_TRUE(sampler.top_logprobs().empty());
}

TEST(SamplerEdgeCases, TheAllocationCounterSeesAllocations) {
    const testing::AllocationCounter counter;
    const std::vector<int> allocated(10, 1);
    EXPECT_GE(counter.n_allocations(), 1U);
}

TEST(SamplerEdgeCases, SampleAllocatesNothingWithEveryFeatureOn) {
    constexpr std::int32_t kVocab = 32000;
    Rng logit_source(13);
    std::vector<float> logits(kVocab);
    for (float& logit : logits) {
        logit = static_cast<float>(logit_source.next_unit_double() * 16.0 - 8.0);
    }
    std::vector<TokenId> context;
    for (TokenId id = 0; id < 500; ++id) {
        context.push_back((id * 7919) % kVocab);
    }
    const SamplingParams params{.temperature = 0.7f,
                                .top_k = 200,
                                .top_p = 0.9f,
                                .min_p = 0.01f,
                                .repetition_penalty = 1.1f,
                                .penalty_last_n = 256,
                                .presence_penalty = 0.3f,
                                .frequency_penalty = 0.2f,
                                .logit_bias = {{5, 3.0f}, {9, -100.0f}},
                                .seed = 14,
                                .logprobs = true,
                                .top_logprobs = 5,
                                .max_tokens = 100};
    for (const float temperature : {0.7f, 0.0f}) {
        SamplingParams variant = params;
        variant.temperature = temperature;
        Sampler sampler(variant, kVocab);
        std::vector<float> row(kVocab);  // [n_vocab], reused so the test itself allocates nothing
        const testing::AllocationCounter counter;
        for (int step = 0; step < 100; ++step) {
            std::copy(logits.begin(), logits.end(), row.begin());
            const TokenId id = sampler.sample(row, context);
            ASSERT_TRUE(id >= 0 && id < kVocab);
        }
        EXPECT_EQ(counter.n_allocations(), 0U) << "temperature " << temperature;
    }
}

TEST(SamplerEdgeCasesDeathTest, RefusesUnvalidatedParameters) {
    EXPECT_DEATH(Sampler(SamplingParams{.temperature = -1.0f}, 10), "unvalidated parameters");
    EXPECT_DEATH(Sampler(SamplingParams{.logit_bias = {{10, 1.0f}}}, 10), "outside the vocabulary");
}

}  // namespace
}  // namespace inhouse::sampling
