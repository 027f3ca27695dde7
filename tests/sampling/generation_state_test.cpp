#include "sampling/generation_state.h"

#include <gtest/gtest.h>

namespace inhouse::sampling {
namespace {

TEST(GenerationState, AnEndOfGenerationTokenFinishesWithStop) {
    GenerationState state(SamplingParams{.max_tokens = 10, .end_of_generation_ids = {2, 7}});
    EXPECT_EQ(state.add_token(5), std::nullopt);
    EXPECT_EQ(state.add_token(7), FinishReason::Stop);
    EXPECT_TRUE(state.is_finished());
    EXPECT_EQ(state.n_tokens_generated(), 2);
}

TEST(GenerationState, TheMaxTokensthTokenFinishesWithLength) {
    GenerationState state(SamplingParams{.max_tokens = 3, .end_of_generation_ids = {2}});
    EXPECT_EQ(state.add_token(5), std::nullopt);
    EXPECT_EQ(state.add_token(6), std::nullopt);
    EXPECT_FALSE(state.is_finished());
    EXPECT_EQ(state.add_token(8), FinishReason::Length);
    EXPECT_EQ(state.finish_reason(), FinishReason::Length);
    EXPECT_EQ(state.n_tokens_generated(), 3);
}

TEST(GenerationState, AnEndOfGenerationTokenAtTheLimitCountsAsStop) {
    GenerationState state(SamplingParams{.max_tokens = 1, .end_of_generation_ids = {2}});
    EXPECT_EQ(state.add_token(2), FinishReason::Stop);
}

TEST(GenerationState, WithoutMaxTokensOnlyEndTokensAndStopStringsFinish) {
    GenerationState state(SamplingParams{});
    for (TokenId id = 0; id < 1000; ++id) {
        ASSERT_EQ(state.add_token(id), std::nullopt);
    }
    state.stop();
    EXPECT_EQ(state.finish_reason(), FinishReason::Stop);
    state.stop();  // a second report changes nothing
    EXPECT_EQ(state.n_tokens_generated(), 1000);
}

TEST(GenerationState, AStopStringDoesNotOverrideAnEarlierLength) {
    GenerationState state(SamplingParams{.max_tokens = 1});
    EXPECT_EQ(state.add_token(4), FinishReason::Length);
    state.stop();
    EXPECT_EQ(state.finish_reason(), FinishReason::Length);
}

TEST(GenerationState, FinishReasonsAreSpelledAsInTheOpenAiApi) {
    EXPECT_EQ(to_string(FinishReason::Stop), "stop");
    EXPECT_EQ(to_string(FinishReason::Length), "length");
}

TEST(GenerationStateDeathTest, RefusesTokensAfterTheCompletionFinished) {
    GenerationState state(SamplingParams{.max_tokens = 1});
    state.add_token(1);
    EXPECT_DEATH(state.add_token(2), "after the completion finished");
}

}  // namespace
}  // namespace inhouse::sampling
