// Log-probabilities of a logit row, for the API's logprobs and top_logprobs: the normaliser
// log(sum(exp(logits))) and the best few tokens, without allocating.
#pragma once

#include <cstddef>
#include <span>

#include "sampling/sampling_params.h"

namespace inhouse::sampling {

struct TokenLogprob {
    TokenId id;
    float logprob;  // natural log; -inf for a token that cannot be sampled
};

// log(sum(exp(logits))), computed stably; -inf when every logit is -inf (an empty distribution).
// Precondition: no NaN (sanitize_logits).
double log_sum_exp(std::span<const float> logits) noexcept;

// Fills `top` with the best tokens of `logits` (higher logit first, lower id on ties), each with
// logprob = logit - log_normalizer, and returns how many it wrote: top.size(), or fewer when
// fewer logits are finite (a banned token is not an alternative worth listing).
std::size_t select_top_logprobs(std::span<const float> logits, double log_normalizer,
                                std::span<TokenLogprob> top) noexcept;

}  // namespace inhouse::sampling
