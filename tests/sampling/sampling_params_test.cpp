#include "sampling/sampling_params.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

namespace inhouse::sampling {
namespace {

constexpr std::int32_t kVocab = 1000;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInfinity = std::numeric_limits<float>::infinity();

TEST(ValidateSamplingParams, AcceptsTheDefaults) {
    EXPECT_TRUE(validate(SamplingParams{}, kVocab).ok());
}

TEST(ValidateSamplingParams, AcceptsEveryFieldAtTheEdgesOfItsRange) {
    const SamplingParams params{
        .temperature = 0.0f,
        .top_k = kVocab * 2,
        .top_p = 1.0f,
        .min_p = 1.0f,
        .repetition_penalty = 0.5f,
        .penalty_last_n = -1,
        .presence_penalty = -2.0f,
        .frequency_penalty = 2.0f,
        .logit_bias = {{0, -100.0f}, {kVocab - 1, 100.0f}},
        .seed = 0,
        .logprobs = true,
        .top_logprobs = 20,
        .max_tokens = 1,
        .stop = std::vector<std::string>(16, std::string(256, 'x')),
        .end_of_generation_ids = {0, kVocab - 1},
    };
    const Status status = validate(params, kVocab);
    EXPECT_TRUE(status.ok()) << status.error().to_string();
}

struct BadCase {
    const char* name;
    std::function<void(SamplingParams&)> spoil;
    const char* expected_message;
};

TEST(ValidateSamplingParams, NamesTheFieldRangeAndValueOfEachBadParameter) {
    const BadCase cases[] = {
        {"negative temperature", [](auto& p) { p.temperature = -0.5f; },
         "temperature must be a finite number >= 0, got -0.5"},
        {"NaN temperature", [](auto& p) { p.temperature = kNaN; },
         "temperature must be a finite number >= 0, got nan"},
        {"infinite temperature", [](auto& p) { p.temperature = kInfinity; },
         "temperature must be a finite number >= 0, got inf"},
        {"negative top_k", [](auto& p) { p.top_k = -1; },
         "top_k must be >= 0 (0 turns it off), got -1"},
        {"zero top_p", [](auto& p) { p.top_p = 0.0f; },
         "top_p must be in (0, 1] (1 turns it off), got 0"},
        {"top_p above 1", [](auto& p) { p.top_p = 1.5f; },
         "top_p must be in (0, 1] (1 turns it off), got 1.5"},
        {"NaN top_p", [](auto& p) { p.top_p = kNaN; }, "top_p must be in (0, 1]"},
        {"negative min_p", [](auto& p) { p.min_p = -0.1f; },
         "min_p must be in [0, 1] (0 turns it off), got -0.1"},
        {"min_p above 1", [](auto& p) { p.min_p = 2.0f; }, "min_p must be in [0, 1]"},
        {"zero repetition_penalty", [](auto& p) { p.repetition_penalty = 0.0f; },
         "repetition_penalty must be a finite number > 0 (1 turns it off), got 0"},
        {"negative repetition_penalty", [](auto& p) { p.repetition_penalty = -1.0f; },
         "repetition_penalty must be a finite number > 0"},
        {"penalty_last_n below -1", [](auto& p) { p.penalty_last_n = -2; },
         "penalty_last_n must be >= -1 (-1 = every context token, 0 = none), got -2"},
        {"presence_penalty above 2", [](auto& p) { p.presence_penalty = 2.5f; },
         "presence_penalty must be in [-2, 2], got 2.5"},
        {"frequency_penalty below -2", [](auto& p) { p.frequency_penalty = -3.0f; },
         "frequency_penalty must be in [-2, 2], got -3"},
        {"NaN frequency_penalty", [](auto& p) { p.frequency_penalty = kNaN; },
         "frequency_penalty must be in [-2, 2], got nan"},
        {"logit_bias id past the vocabulary",
         [](auto& p) {
             p.logit_bias = {{kVocab, 1.0f}};
         },
         "logit_bias: token id 1000 is outside the vocabulary [0, 1000)"},
        {"negative logit_bias id",
         [](auto& p) {
             p.logit_bias = {{-1, 1.0f}};
         },
         "logit_bias: token id -1 is outside the vocabulary [0, 1000)"},
        {"logit_bias above 100",
         [](auto& p) {
             p.logit_bias = {{5, 100.5f}};
         },
         "logit_bias: the bias of token 5 must be in [-100, 100], got 100.5"},
        {"NaN logit_bias",
         [](auto& p) {
             p.logit_bias = {{5, kNaN}};
         },
         "logit_bias: the bias of token 5 must be in [-100, 100], got nan"},
        {"end-of-generation id past the vocabulary",
         [](auto& p) {
             p.end_of_generation_ids = {2, kVocab + 5};
         },
         "end-of-generation token id 1005 is outside the vocabulary [0, 1000)"},
        {"top_logprobs above the limit",
         [](auto& p) {
             p.logprobs = true;
             p.top_logprobs = 21;
         },
         "top_logprobs must be in [0, 20], got 21"},
        {"negative top_logprobs", [](auto& p) { p.top_logprobs = -1; },
         "top_logprobs must be in [0, 20], got -1"},
        {"top_logprobs without logprobs", [](auto& p) { p.top_logprobs = 3; },
         "top_logprobs (3) needs logprobs set to true"},
        {"zero max_tokens", [](auto& p) { p.max_tokens = 0; }, "max_tokens must be >= 1, got 0"},
        {"too many stop strings", [](auto& p) { p.stop = std::vector<std::string>(17, "x"); },
         "stop: at most 16 stop strings are allowed, got 17"},
        {"empty stop string",
         [](auto& p) {
             p.stop = {"a", ""};
         },
         "stop[1] is empty; it would match before any text"},
        {"stop string too long", [](auto& p) { p.stop = {std::string(257, 'x')}; },
         "stop[0] is 257 bytes long; the limit is 256 bytes"},
    };
    for (const BadCase& bad : cases) {
        SamplingParams params;
        bad.spoil(params);
        const Status status = validate(params, kVocab);
        ASSERT_FALSE(status.ok()) << bad.name;
        EXPECT_EQ(status.error().code(), ErrorCode::InvalidArgument) << bad.name;
        EXPECT_NE(status.error().message().find(bad.expected_message), std::string::npos)
            << bad.name << ": got \"" << status.error().message() << "\"";
    }
}

TEST(ValidateSamplingParams, LimitsOnStopStringsAndTopLogprobsAreTheCallersToChoose) {
    const SamplingParams params{.logprobs = true, .top_logprobs = 3, .stop = {"ab", "cd"}};
    EXPECT_TRUE(validate(params, kVocab).ok());
    const ValidationLimits strict{
        .max_stop_strings = 1, .max_stop_string_bytes = 1, .max_top_logprobs = 2};
    const Status status = validate(params, kVocab, strict);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message(), "top_logprobs must be in [0, 2], got 3");
    EXPECT_FALSE(validate(SamplingParams{.stop = {"ab"}}, kVocab, strict).ok());
}

TEST(ValidateSamplingParams, RefusesAnEmptyVocabulary) {
    const Status status = validate(SamplingParams{}, 0);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message(), "the model's vocabulary is empty (n_vocab = 0)");
}

}  // namespace
}  // namespace inhouse::sampling
