// The continuous-batching scheduler on the real SmolLM2: batching must not change results,
// prefixes are reused, running out of KV blocks preempts instead of failing, cancellation frees.
#include "engine/scheduler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "engine/text_generator.h"
#include "support/smollm2_fixture.h"

namespace inhouse::engine {
namespace {

// Collects one completion's events; wait() blocks until it finishes.
class Completion {
public:
    CompletionCallbacks callbacks() {
        return {.on_token = [this](TokenEvent&& event) {
                    std::lock_guard lock(mutex_);
                    text_ += event.text;
                    tokens_.push_back(event.token);
                },
                .on_finish = [this](CompletionSummary&& summary) {
                    std::lock_guard lock(mutex_);
                    text_ += summary.trailing_text;
                    summary_ = std::move(summary);
                    done_.notify_all();
                }};
    }
    const CompletionSummary& wait() {
        std::unique_lock lock(mutex_);
        const bool finished = done_.wait_for(lock, std::chrono::minutes(5), [&] { return summary_.has_value(); });
        EXPECT_TRUE(finished) << "completion did not finish";
        if (!summary_) summary_.emplace();
        return *summary_;
    }
    std::string text() {
        std::lock_guard lock(mutex_);
        return text_;
    }
    std::vector<tokenizer::TokenId> tokens() {
        std::lock_guard lock(mutex_);
        return tokens_;
    }

private:
    std::mutex mutex_;
    std::condition_variable done_;
    std::string text_;
    std::vector<tokenizer::TokenId> tokens_;
    std::optional<CompletionSummary> summary_;
};

class SmolLM2Scheduler : public SmolLM2Test {
protected:
    std::unique_ptr<Scheduler> make(SchedulerSettings settings) {
        settings.n_threads = 2;
        auto scheduler = Scheduler::create(*model_, *tokenizer_, settings);
        EXPECT_TRUE(scheduler.ok()) << scheduler.error().to_string();
        return scheduler.ok() ? std::move(scheduler).value() : nullptr;
    }

    std::vector<tokenizer::TokenId> prompt(int i) const {
        static const char* const kPrompts[] = {
            "The capital of France is", "Once upon a time, in a small village,", "def fibonacci(n):",
            "The three primary colors are", "Water boils at", "My favourite recipe for pancakes",
            "The largest planet in the solar system", "In 1969, astronauts"};
        return tokenizer_->encode(kPrompts[i % 8]);
    }
};

TEST_F(SmolLM2Scheduler, AGreedyCompletionMatchesTheSingleSequenceGenerator) {
    auto generator = TextGenerator::create(*model_, *tokenizer_, {.n_ctx = 256, .n_threads = 2});
    ASSERT_TRUE(generator.ok());
    std::string expected;
    ASSERT_TRUE((*generator)->generate(prompt(0), greedy(12), [&](std::string_view t) { expected += t; }).ok());

    auto scheduler = make({.n_ctx = 256, .n_parallel = 2});
    ASSERT_NE(scheduler, nullptr);
    Completion completion;
    ASSERT_TRUE(scheduler->submit(prompt(0), greedy(12), completion.callbacks()).ok());
    const auto& summary = completion.wait();
    EXPECT_EQ(completion.text(), expected);
    EXPECT_EQ(summary.end, CompletionEnd::Length);
    EXPECT_EQ(summary.n_generated_tokens, 12);
    EXPECT_EQ(summary.n_prompt_tokens, static_cast<std::int64_t>(prompt(0).size()));
}

TEST_F(SmolLM2Scheduler, BatchingDoesNotChangeGreedyOutput) {
    // Alone, one request at a time.
    std::vector<std::vector<tokenizer::TokenId>> alone;
    {
        auto scheduler = make({.n_ctx = 256, .n_parallel = 1});
        ASSERT_NE(scheduler, nullptr);
        for (int i = 0; i < 16; ++i) {
            Completion completion;
            ASSERT_TRUE(scheduler->submit(prompt(i), greedy(24), completion.callbacks()).ok());
            completion.wait();
            alone.push_back(completion.tokens());
        }
    }
    // All 16 at once: joined and left in whatever steps the scheduler chose, prefills chunked.
    auto scheduler = make({.n_ctx = 256, .n_parallel = 16, .n_batch = 24});
    ASSERT_NE(scheduler, nullptr);
    std::vector<Completion> together(16);
    for (int i = 0; i < 16; ++i) {
        ASSERT_TRUE(scheduler->submit(prompt(i), greedy(24), together[static_cast<std::size_t>(i)].callbacks()).ok());
    }
    for (int i = 0; i < 16; ++i) {
        together[static_cast<std::size_t>(i)].wait();
        EXPECT_EQ(together[static_cast<std::size_t>(i)].tokens(), alone[static_cast<std::size_t>(i)]) << "request " << i;
    }
    EXPECT_GT(scheduler->metrics().steps, 0u);
}

TEST_F(SmolLM2Scheduler, ASharedPrefixIsReusedNotRecomputed) {
    auto scheduler = make({.n_ctx = 512, .n_parallel = 2});
    ASSERT_NE(scheduler, nullptr);
    auto system = tokenizer_->encode(
        "You are a helpful assistant for the accounting department. Answer briefly and precisely, "
        "cite the policy section when you can, and never invent numbers that are not in the documents.");
    ASSERT_GE(system.size(), 32u);
    auto first_prompt = system;
    const auto question = tokenizer_->encode(" Question: what is an invoice?");
    first_prompt.insert(first_prompt.end(), question.begin(), question.end());
    Completion first;
    ASSERT_TRUE(scheduler->submit(first_prompt, greedy(4), first.callbacks()).ok());
    EXPECT_EQ(first.wait().n_cached_tokens, 0);

    auto second_prompt = system;
    const auto other = tokenizer_->encode(" Question: who approves expenses?");
    second_prompt.insert(second_prompt.end(), other.begin(), other.end());
    Completion second;
    ASSERT_TRUE(scheduler->submit(second_prompt, greedy(4), second.callbacks()).ok());
    const auto& summary = second.wait();
    EXPECT_GE(summary.n_cached_tokens, static_cast<std::int64_t>(system.size() / 16 * 16) - 16);
    EXPECT_GT(summary.n_cached_tokens, 0);
    EXPECT_GT(scheduler->metrics().prompt_tokens_cached, 0u);

    // And the reused blocks give the same answer as computing everything afresh.
    auto fresh = make({.n_ctx = 512, .n_parallel = 1});
    Completion recomputed;
    ASSERT_TRUE(fresh->submit(second_prompt, greedy(4), recomputed.callbacks()).ok());
    recomputed.wait();
    EXPECT_EQ(second.tokens(), recomputed.tokens());
}

TEST_F(SmolLM2Scheduler, RunningOutOfBlocksPreemptsAndStillFinishesEveryRequestCorrectly) {
    std::vector<std::vector<tokenizer::TokenId>> expected;
    std::vector<CompletionEnd> expected_ends;  // a greedy run may meet the end of text before 40 tokens
    {
        auto scheduler = make({.n_ctx = 128, .n_parallel = 1});
        for (int i = 0; i < 4; ++i) {
            Completion completion;
            ASSERT_TRUE(scheduler->submit(prompt(i), greedy(40), completion.callbacks()).ok());
            expected_ends.push_back(completion.wait().end);
            expected.push_back(completion.tokens());
        }
    }
    // 8 blocks of 16 positions: one 128-token context, far less than 4 sequences of ~50 need.
    auto scheduler = make({.n_ctx = 128, .n_parallel = 4, .n_kv_blocks = 8});
    ASSERT_NE(scheduler, nullptr);
    std::vector<Completion> completions(4);
    for (int i = 0; i < 4; ++i) {
        ASSERT_TRUE(scheduler->submit(prompt(i), greedy(40), completions[static_cast<std::size_t>(i)].callbacks()).ok());
    }
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(completions[static_cast<std::size_t>(i)].wait().end, expected_ends[static_cast<std::size_t>(i)]);
        EXPECT_EQ(completions[static_cast<std::size_t>(i)].tokens(), expected[static_cast<std::size_t>(i)]) << i;
    }
    EXPECT_GT(scheduler->metrics().preemptions, 0u);
}

TEST_F(SmolLM2Scheduler, CancellingFreesTheSequenceAndItsBlocks) {
    auto scheduler = make({.n_ctx = 256, .n_parallel = 2});
    ASSERT_NE(scheduler, nullptr);
    Completion completion;
    auto params = greedy(200);
    const auto id = scheduler->submit(prompt(1), params, completion.callbacks());
    ASSERT_TRUE(id.ok());
    while (completion.tokens().size() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    scheduler->cancel(*id);
    EXPECT_EQ(completion.wait().end, CompletionEnd::Cancelled);
    // Metrics are refreshed after the step that finished it.
    for (int i = 0; i < 100 && scheduler->metrics().running > 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto metrics = scheduler->metrics();
    EXPECT_EQ(metrics.running, 0);
    EXPECT_EQ(metrics.kv_blocks_used, 0);
}

TEST_F(SmolLM2Scheduler, BadRequestsAreRefusedAtSubmission) {
    auto scheduler = make({.n_ctx = 64, .n_parallel = 1, .max_queued = 1});
    ASSERT_NE(scheduler, nullptr);
    Completion unused;
    EXPECT_EQ(scheduler->submit({}, greedy(1), unused.callbacks()).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(scheduler->submit(std::vector<tokenizer::TokenId>(64, 1), greedy(1), unused.callbacks()).error().code(),
              ErrorCode::InvalidArgument);
    EXPECT_EQ(scheduler->submit({-3}, greedy(1), unused.callbacks()).error().code(), ErrorCode::InvalidArgument);
    auto bad = greedy(1);
    bad.top_p = 3;
    const auto refused = scheduler->submit(prompt(0), bad, unused.callbacks());
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().to_string().find("top_p"), std::string::npos);
}

}  // namespace
}  // namespace inhouse::engine
