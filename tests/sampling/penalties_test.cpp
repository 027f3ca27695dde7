#include "sampling/penalties.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace inhouse::sampling {
namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();

TEST(SanitizeLogits, TurnsNaNIntoMinusInfinityAndPlusInfinityIntoTheLargestFloat) {
    std::vector<float> logits = {1.5f, std::numeric_limits<float>::quiet_NaN(), kInfinity,
                                 -kInfinity, -3.0f};
    sanitize_logits(logits);
    EXPECT_EQ(logits, (std::vector<float>{1.5f, -kInfinity, std::numeric_limits<float>::max(),
                                          -kInfinity, -3.0f}));
}

TEST(LogitBias, AddsEachBiasAndBansAtExactlyMinus100) {
    std::vector<float> logits = {1.0f, 2.0f, 3.0f, 4.0f};
    apply_logit_bias(logits, {{0, 0.5f}, {1, -100.0f}, {2, -99.5f}, {3, 100.0f}});
    EXPECT_EQ(logits, (std::vector<float>{1.5f, -kInfinity, -96.5f, 104.0f}));
}

TEST(RepetitionPenalty, DividesPositiveAndMultipliesNegativeLogitsOncePerDistinctToken) {
    std::vector<float> logits = {2.0f, -2.0f, 0.0f, 1.0f, 3.0f};
    std::vector<std::uint8_t> seen(logits.size(), 0);
    // Token 0 three times is penalised once; ids outside the vocabulary are skipped.
    const std::vector<TokenId> window = {0, 1, 0, 2, 99, -1, 0};
    apply_repetition_penalty(logits, window, 2.0f, seen);
    EXPECT_EQ(logits, (std::vector<float>{1.0f, -4.0f, 0.0f, 1.0f, 3.0f}));
    EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](std::uint8_t flag) { return flag == 0; }))
        << "the scratch flags must be cleared for the next call";
}

TEST(RepetitionPenalty, BelowOneRewardsRepetition) {
    std::vector<float> logits = {2.0f, -2.0f};
    std::vector<std::uint8_t> seen(logits.size(), 0);
    apply_repetition_penalty(logits, std::vector<TokenId>{0, 1}, 0.5f, seen);
    EXPECT_EQ(logits, (std::vector<float>{4.0f, -1.0f}));
}

TEST(CompletionTokenCounts, SubtractsPresenceOnceAndFrequencyPerOccurrence) {
    CompletionTokenCounts counts(6, 100);
    for (const TokenId id : {3, 3, 5, 3, 7, -2}) {
        counts.add(id);
    }
    EXPECT_EQ(counts.count(3), 3);
    EXPECT_EQ(counts.count(5), 1);
    EXPECT_EQ(counts.count(0), 0);
    EXPECT_EQ(counts.count(7), 0);  // outside the vocabulary: ignored

    std::vector<float> logits(6, 1.0f);
    counts.apply(logits, 0.5f, 0.25f);
    // 1 - 0.5 * (3 > 0) - 0.25 * 3 = -0.25 and 1 - 0.5 - 0.25 = 0.25.
    EXPECT_EQ(logits, (std::vector<float>{1.0f, 1.0f, 1.0f, -0.25f, 1.0f, 0.25f}));
}

TEST(CompletionTokenCounts, NegativePenaltiesEncourageRepetition) {
    CompletionTokenCounts counts(3, 3);
    counts.add(1);
    counts.add(1);
    std::vector<float> logits = {0.0f, 0.0f, 0.0f};
    counts.apply(logits, -1.0f, -2.0f);
    EXPECT_EQ(logits, (std::vector<float>{0.0f, 5.0f, 0.0f}));
}

}  // namespace
}  // namespace inhouse::sampling
