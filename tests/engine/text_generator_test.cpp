// Generation on the real SmolLM2: greedy output, limits and the errors a user can cause.
#include "engine/text_generator.h"

#include <gtest/gtest.h>

#include "support/smollm2_fixture.h"

#include <cstdlib>

namespace inhouse::engine {
namespace {

class SmolLM2Generator : public SmolLM2Test {
protected:
    void SetUp() override {
        SmolLM2Test::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        auto generator = TextGenerator::create(*model_, *tokenizer_, {.n_ctx = 256, .n_threads = 2});
        ASSERT_TRUE(generator.ok()) << generator.error().to_string();
        generator_ = std::move(generator).value();
    }

    std::unique_ptr<TextGenerator> generator_;
};

TEST_F(SmolLM2Generator, GreedyGenerationAnswersAndStopsAtTheTokenLimit) {
    std::string text;
    const auto prompt = tokenizer_->encode("The capital of France is");
    const auto stats = generator_->generate(prompt, greedy(3), [&](std::string_view piece) { text += piece; });
    ASSERT_TRUE(stats.ok()) << stats.error().to_string();
    EXPECT_EQ(text, " Paris.\n");
    EXPECT_EQ(stats->n_generated_tokens, 3);
    EXPECT_EQ(stats->finish_reason, FinishReason::Length);
    EXPECT_EQ(stats->n_prompt_tokens, 5);
}

TEST_F(SmolLM2Generator, AStopStringEndsTheTextBeforeIt) {
    std::string text;
    auto params = greedy(20);
    params.stop = {"."};
    const auto stats = generator_->generate(tokenizer_->encode("The capital of France is"), params,
                                            [&](std::string_view piece) { text += piece; });
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(text, " Paris");
    EXPECT_EQ(stats->finish_reason, FinishReason::Stop);
}

TEST_F(SmolLM2Generator, APromptLongerThanTheContextIsAnErrorNotATruncation) {
    std::vector<tokenizer::TokenId> long_prompt(300, tokenizer_->encode("word")[0]);
    const auto stats = generator_->generate(long_prompt, greedy(1), [](std::string_view) {});
    ASSERT_FALSE(stats.ok());
    EXPECT_NE(stats.error().to_string().find("the prompt has 300 tokens, which does not fit the context of 256"),
              std::string::npos) << stats.error().to_string();
}

TEST_F(SmolLM2Generator, ALaterTurnReusesTheCachedPrefix) {
    const auto first = tokenizer_->encode("The capital of France is");
    ASSERT_TRUE(generator_->generate(first, greedy(1), [](std::string_view) {}).ok());
    auto longer = first;
    const auto more = tokenizer_->encode(" Paris, and the capital of Italy is");
    longer.insert(longer.end(), more.begin(), more.end());
    const auto stats = generator_->generate(longer, greedy(1), [](std::string_view) {});
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->n_cached_tokens, static_cast<std::int64_t>(first.size()));
}

TEST_F(SmolLM2Generator, BadSamplingParametersAreRefusedByName) {
    auto params = greedy(1);
    params.top_p = 1.5f;
    const auto stats = generator_->generate(tokenizer_->encode("Hi"), params, [](std::string_view) {});
    ASSERT_FALSE(stats.ok());
    EXPECT_NE(stats.error().to_string().find("top_p"), std::string::npos);
}

}  // namespace
}  // namespace inhouse::engine
