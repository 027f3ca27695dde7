#include "sampling/truncation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sampling/rng.h"

namespace inhouse::sampling {
namespace {

// Candidates 0..n-1 whose softmax is `probabilities` (plus an offset, which softmax ignores).
std::vector<Candidate> from_probabilities(const std::vector<double>& probabilities) {
    std::vector<Candidate> candidates;
    for (std::size_t id = 0; id < probabilities.size(); ++id) {
        candidates.push_back(
            Candidate{.id = static_cast<TokenId>(id),
                      .logit = static_cast<float>(std::log(probabilities[id]) + 5)});
    }
    return candidates;
}

std::vector<TokenId> ids_of(std::span<const Candidate> candidates) {
    std::vector<TokenId> ids;
    for (const Candidate& candidate : candidates) {
        ids.push_back(candidate.id);
    }
    return ids;
}

std::vector<TokenId> sorted_ids_of(std::span<const Candidate> candidates) {
    std::vector<TokenId> ids = ids_of(candidates);
    std::sort(ids.begin(), ids.end());
    return ids;
}

TEST(TopK, KeepsTheKBestSortedWithTheLowerIdFirstOnTies) {
    std::vector<Candidate> candidates = {{0, 1.0f}, {1, 3.0f}, {2, 2.0f}, {3, 3.0f}, {4, -1.0f}};
    EXPECT_EQ(ids_of(keep_top_k(candidates, 2)), (std::vector<TokenId>{1, 3}));
    candidates = {{0, 1.0f}, {1, 3.0f}, {2, 2.0f}, {3, 3.0f}, {4, -1.0f}};
    EXPECT_EQ(ids_of(keep_top_k(candidates, 3)), (std::vector<TokenId>{1, 3, 2}));
}

TEST(TopK, ZeroOrAtLeastTheCandidateCountKeepsEverythingInPlace) {
    std::vector<Candidate> candidates = {{0, 1.0f}, {1, 3.0f}, {2, 2.0f}};
    EXPECT_EQ(ids_of(keep_top_k(candidates, 0)), (std::vector<TokenId>{0, 1, 2}));
    EXPECT_EQ(ids_of(keep_top_k(candidates, 3)), (std::vector<TokenId>{0, 1, 2}));
    EXPECT_EQ(ids_of(keep_top_k(candidates, 50)), (std::vector<TokenId>{0, 1, 2}));
}

TEST(TopP, KeepsTheSmallestBestSetReachingTheThresholdIncludingTheCrossingToken) {
    const std::vector<double> probabilities = {0.1, 0.4, 0.2, 0.3};
    const std::pair<float, std::vector<TokenId>> cases[] = {
        {0.3f, {1}},            // 0.4 alone reaches 0.3
        {0.5f, {1, 3}},         // 0.4 + 0.3
        {0.75f, {1, 2, 3}},     // 0.4 + 0.3 + 0.2
        {0.95f, {0, 1, 2, 3}},  // all four
        {1.0f, {0, 1, 2, 3}},   // off
    };
    for (const auto& [top_p, expected] : cases) {
        std::vector<Candidate> candidates = from_probabilities(probabilities);
        // The kept tokens keep their order (here: by id).
        EXPECT_EQ(ids_of(keep_top_p(candidates, top_p)), expected) << "top_p " << top_p;
    }
}

TEST(TopP, BreaksTiesTowardTheLowerIdWhenManyTokensShareOneLogit) {
    // 2000 equal weights: 0.5 needs exactly 1000 of them, the lowest ids. The crossing logit
    // range holds more than the filter sorts on the stack, so this takes the fallback path.
    std::vector<Candidate> candidates;
    for (TokenId id = 1999; id >= 0; --id) {
        candidates.push_back({id, 0.25f});
    }
    const std::span<Candidate> kept = keep_top_p(candidates, 0.5f);
    ASSERT_EQ(kept.size(), 1000U);
    EXPECT_EQ(sorted_ids_of(kept).back(), 999);
}

TEST(TopP, MatchesAFullSortReference) {
    // 1000 candidates with random logits 4 wide: the mass spreads over many buckets, and the
    // larger top_p values keep hundreds of tokens.
    Rng rng(3);
    std::vector<Candidate> candidates;
    for (TokenId id = 0; id < 1000; ++id) {
        candidates.push_back({id, static_cast<float>(rng.next_unit_double() * 4.0)});
    }
    for (const float top_p : {0.2f, 0.9f, 0.99f, 0.9999f}) {
        std::vector<Candidate> reference = candidates;
        std::sort(reference.begin(), reference.end(), ranks_before);
        double total = 0.0;
        for (const Candidate& candidate : reference) {
            total += std::exp(candidate.logit - reference[0].logit);
        }
        double cumulative = 0.0;
        std::size_t n_expected = 0;
        while (cumulative < top_p * total) {
            cumulative += std::exp(reference[n_expected++].logit - reference[0].logit);
        }
        reference.resize(n_expected);

        std::vector<Candidate> working = candidates;
        const std::span<Candidate> kept = keep_top_p(working, top_p);
        EXPECT_EQ(sorted_ids_of(kept), sorted_ids_of(reference)) << "top_p " << top_p;
        const auto by_id = [](const Candidate& left, const Candidate& right) {
            return left.id < right.id;
        };
        EXPECT_TRUE(std::is_sorted(kept.begin(), kept.end(), by_id))
            << "top_p " << top_p << ": the kept tokens must keep their order";
    }
}

TEST(TopP, MatchesAFullSortReferenceWhenThousandsOfLogitsCrowdTogether) {
    // 3000 distinct logits within 0.03 of each other: one coarse bucket holds them all, so the
    // filter has to split it into fine buckets.
    Rng rng(5);
    std::vector<Candidate> candidates;
    for (TokenId id = 0; id < 3000; ++id) {
        candidates.push_back({id, 1.0f - static_cast<float>(id) * 1e-5f});
    }
    for (std::size_t index = candidates.size() - 1; index > 0; --index) {
        std::swap(candidates[index].logit, candidates[rng.next_u64() % (index + 1)].logit);
    }
    std::vector<Candidate> reference = candidates;
    std::sort(reference.begin(), reference.end(), ranks_before);
    double total = 0.0;
    for (const Candidate& candidate : reference) {
        total += std::exp(candidate.logit - reference[0].logit);
    }
    double cumulative = 0.0;
    std::size_t n_expected = 0;
    while (cumulative < 0.5f * total) {
        cumulative += std::exp(reference[n_expected++].logit - reference[0].logit);
    }
    reference.resize(n_expected);
    const std::span<Candidate> kept = keep_top_p(candidates, 0.5f);
    EXPECT_GT(kept.size(), 1000U);
    EXPECT_EQ(sorted_ids_of(kept), sorted_ids_of(reference));
}

TEST(MinP, KeepsTokensAtLeastMinPTimesAsLikelyAsTheBestInTheirOrder) {
    const std::vector<double> probabilities = {0.5, 0.05, 0.2, 0.25};
    const std::pair<float, std::vector<TokenId>> cases[] = {
        {0.0f, {0, 1, 2, 3}},   // off
        {0.05f, {0, 1, 2, 3}},  // floor 0.025
        {0.3f, {0, 2, 3}},      // floor 0.15
        {0.45f, {0, 3}},        // floor 0.225
        {0.6f, {0}},            // floor 0.3
        {1.0f, {0}},            // only the best survives
    };
    for (const auto& [min_p, expected] : cases) {
        std::vector<Candidate> candidates = from_probabilities(probabilities);
        EXPECT_EQ(ids_of(keep_min_p(candidates, min_p)), expected) << "min_p " << min_p;
    }
}

TEST(MinP, KeepsEveryTokenThatTiesTheBest) {
    std::vector<Candidate> candidates = {{0, 2.0f}, {1, 7.0f}, {2, 7.0f}};
    EXPECT_EQ(ids_of(keep_min_p(candidates, 1.0f)), (std::vector<TokenId>{1, 2}));
}

}  // namespace
}  // namespace inhouse::sampling
