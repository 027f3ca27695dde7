// The logit transforms that run before truncation: logit bias, llama.cpp's repetition penalty
// and OpenAI's presence and frequency penalties. Each edits a [n_vocab] logit row in place and
// allocates nothing; the scratch they need is sized once by their owner.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "sampling/sampling_params.h"

namespace inhouse::sampling {

// NaN becomes -inf (a broken logit is never sampled) and +inf becomes the largest finite float
// (so softmax stays defined: several +inf logits tie instead of producing NaN). The transforms
// below keep NaN and -inf as they are, so it may run after them.
void sanitize_logits(std::span<float> logits) noexcept;

// Adds each bias to its token's logit; a bias of exactly kBanBias sets the logit to -inf.
// Precondition: every id is inside `logits` (validate() checks it).
void apply_logit_bias(std::span<float> logits, const std::map<TokenId, float>& logit_bias) noexcept;

// For each distinct token in `window`, divides a positive logit by `penalty` and multiplies a
// non-positive one by it (llama.cpp). Ids outside `logits` are skipped. `seen` is [n_vocab]
// scratch that must be all zero on entry and is all zero again on return.
void apply_repetition_penalty(std::span<float> logits, std::span<const TokenId> window,
                              float penalty, std::span<std::uint8_t> seen) noexcept;

// The tokens generated so far in one completion, counted per id, for OpenAI's presence and
// frequency penalties.
class CompletionTokenCounts {
public:
    CompletionTokenCounts() = default;
    // Reserves room for every id that can appear: at most min(n_vocab, max_distinct) of them.
    CompletionTokenCounts(std::int32_t n_vocab, std::int32_t max_distinct);

    // Ids outside the vocabulary are ignored.
    void add(TokenId id) noexcept;
    std::int32_t count(TokenId id) const noexcept;

    // logit -= presence * (count > 0) + frequency * count, for each generated token.
    void apply(std::span<float> logits, float presence, float frequency) const noexcept;

private:
    std::vector<std::int32_t> counts_;  // [n_vocab]
    std::vector<TokenId> distinct_;     // [number of distinct ids so far], first-seen order
};

}  // namespace inhouse::sampling
