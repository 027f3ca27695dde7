// What a completion request asks of the sampler, and the check that admits it. Fields follow
// the OpenAI API where it has them and llama.cpp's server otherwise; the defaults turn every
// transform off and sample from the model's own distribution (temperature 1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace inhouse::sampling {

using TokenId = std::int32_t;

// A logit_bias of exactly this value removes the token outright (OpenAI: "-100 should result in
// a ban"); any other bias is added to the logit.
inline constexpr float kBanBias = -100.0f;

struct SamplingParams {
    // 0 picks the most likely token (greedy, lowest id on ties). Otherwise the logits of the
    // tokens that survive truncation are divided by it just before the draw (llama.cpp's order:
    // top_k, top_p and min_p judge the distribution at temperature 1).
    float temperature = 1.0f;
    // Keep only the top_k most likely tokens; 0 = off.
    std::int32_t top_k = 0;
    // Keep the fewest most likely tokens whose probabilities sum to at least top_p; 1 = off.
    float top_p = 1.0f;
    // Drop tokens whose probability is below min_p times the most likely token's; 0 = off.
    float min_p = 0.0f;
    // llama.cpp's repetition penalty: each distinct token among the last penalty_last_n context
    // tokens (prompt and completion alike) has a positive logit divided by it and a negative one
    // multiplied by it; 1 = off.
    float repetition_penalty = 1.0f;
    // The window of repetition_penalty: 0 = no tokens, -1 = every token the caller passes.
    std::int32_t penalty_last_n = 64;
    // OpenAI's penalties, counted over the tokens generated so far in this completion only (not
    // the prompt, unlike llama.cpp, which uses the penalty_last_n window):
    //   logit -= presence_penalty * (count > 0) + frequency_penalty * count.
    float presence_penalty = 0.0f;
    float frequency_penalty = 0.0f;
    // Token id -> bias added to its logit, before the penalties; kBanBias bans the token.
    std::map<TokenId, float> logit_bias = {};
    // The same seed and the same logits give the same tokens on every run and platform.
    // Without one the sampler picks a seed from std::random_device and reports it.
    std::optional<std::uint64_t> seed = std::nullopt;
    // Report the sampled token's log-probability, and the top_logprobs most likely tokens'.
    // See Sampler for which distribution they describe.
    bool logprobs = false;
    std::int32_t top_logprobs = 0;
    // Tokens to generate at most; nullopt leaves the limit to the engine (context length).
    std::optional<std::int32_t> max_tokens = std::nullopt;
    // Text that ends the completion; the match itself is not part of the output.
    std::vector<std::string> stop = {};
    // OpenAI's JSON mode: the engine lets through only tokens that keep the text a prefix of one
    // JSON object (sampling/json_prefix.h), and ends the completion when the object closes.
    bool json_object = false;
    // Token ids that end the completion (EOS, EOT, end-of-turn markers), from the vocabulary.
    std::vector<TokenId> end_of_generation_ids = {};
};

// Admission limits; a server may raise or lower them.
struct ValidationLimits {
    std::size_t max_stop_strings = 16;
    std::size_t max_stop_string_bytes = 256;
    std::int32_t max_top_logprobs = 20;
};

// Checks every field against its documented range for a model with n_vocab tokens. The error
// names the field (as the OpenAI API spells it), the expected range and the value received.
Status validate(const SamplingParams& params, std::int32_t n_vocab,
                const ValidationLimits& limits = {});

}  // namespace inhouse::sampling
