// The KV block pool: reference counts, the prefix cache and its eviction order.
#include "engine/block_pool.h"

#include <gtest/gtest.h>

#include <numeric>

namespace inhouse::engine {
namespace {

std::vector<tokenizer::TokenId> tokens_from(int first, int count) {
    std::vector<tokenizer::TokenId> tokens(static_cast<std::size_t>(count));
    std::iota(tokens.begin(), tokens.end(), first);
    return tokens;
}

TEST(BlockPool, HandsOutEveryBlockOnceThenNothingUntilOneIsReleased) {
    BlockPool pool(3, 4);
    const auto a = pool.allocate();
    const auto b = pool.allocate();
    const auto c = pool.allocate();
    ASSERT_TRUE(a && b && c);
    EXPECT_NE(*a, *b);
    EXPECT_NE(*b, *c);
    EXPECT_FALSE(pool.allocate().has_value());
    EXPECT_EQ(pool.n_in_use(), 3);
    pool.release(*b);
    EXPECT_EQ(pool.n_available(), 1);
    EXPECT_EQ(pool.allocate(), b);
}

TEST(BlockPool, APublishedChainIsFoundByALaterPromptWithTheSamePrefix) {
    BlockPool pool(8, 4);
    const auto tokens = tokens_from(100, 10);  // two full blocks and a partial one
    const std::int32_t first = *pool.allocate();
    const std::int32_t second = *pool.allocate();
    pool.publish(first, -1, std::span(tokens).subspan(0, 4));
    pool.publish(second, first, std::span(tokens).subspan(4, 4));

    const auto found = pool.acquire_prefix(tokens, 10);
    EXPECT_EQ(found, (std::vector<std::int32_t>{first, second}));
    EXPECT_EQ(pool.n_in_use(), 2);  // shared, not copied

    auto diverging = tokens;
    diverging[5] = 7;  // differs inside the second block
    EXPECT_EQ(pool.acquire_prefix(diverging, 10), (std::vector<std::int32_t>{first}));
    EXPECT_EQ(pool.acquire_prefix(tokens, 1), (std::vector<std::int32_t>{first}));
    auto shifted = tokens;
    shifted[0] = 99;  // the same second block after a different first one is not a match
    EXPECT_TRUE(pool.acquire_prefix(shifted, 10).empty());
}

TEST(BlockPool, ReleasedPublishedBlocksStayCachedUntilTheSpaceIsNeeded) {
    BlockPool pool(2, 4);
    const auto tokens = tokens_from(1, 8);
    const std::int32_t first = *pool.allocate();
    const std::int32_t second = *pool.allocate();
    pool.publish(first, -1, std::span(tokens).subspan(0, 4));
    pool.publish(second, first, std::span(tokens).subspan(4, 4));
    pool.release(second);
    pool.release(first);
    EXPECT_EQ(pool.n_in_use(), 0);
    EXPECT_EQ(pool.n_cached(), 2);
    EXPECT_EQ(pool.acquire_prefix(tokens, 2).size(), 2u);
    pool.release(second);
    pool.release(first);

    // Needing a block forgets the least recently released one: `second` went first.
    EXPECT_EQ(pool.allocate(), second);
    EXPECT_EQ(pool.acquire_prefix(tokens, 2), (std::vector<std::int32_t>{first}));
}

TEST(BlockPool, ForgettingABlockInvalidatesWhatFollowedIt) {
    BlockPool pool(2, 2);
    const std::int32_t head = *pool.allocate();
    const std::int32_t tail = *pool.allocate();
    const std::vector<tokenizer::TokenId> old_tokens{1, 2, 3, 4};
    pool.publish(head, -1, std::span(old_tokens).subspan(0, 2));
    pool.publish(tail, head, std::span(old_tokens).subspan(2, 2));
    pool.release(head);  // head is released first, so it is forgotten first
    pool.release(tail);
    const std::int32_t reused = *pool.allocate();
    ASSERT_EQ(reused, head);
    const std::vector<tokenizer::TokenId> new_tokens{9, 9, 3, 4};
    pool.publish(reused, -1, std::span(new_tokens).subspan(0, 2));
    // The block id is the same, but `tail` was computed after other tokens: not a match.
    EXPECT_EQ(pool.acquire_prefix(new_tokens, 2), (std::vector<std::int32_t>{reused}));
}

TEST(BlockPool, AnIdenticalBlockPublishedTwiceKeepsTheFirst) {
    BlockPool pool(4, 2);
    const std::vector<tokenizer::TokenId> tokens{5, 6};
    const std::int32_t a = *pool.allocate();
    const std::int32_t b = *pool.allocate();
    pool.publish(a, -1, tokens);
    pool.publish(b, -1, tokens);
    pool.release(b);
    EXPECT_EQ(pool.n_cached(), 0);  // b was never published, so it is simply free
    EXPECT_EQ(pool.acquire_prefix(tokens, 1), (std::vector<std::int32_t>{a}));
}

}  // namespace
}  // namespace inhouse::engine
