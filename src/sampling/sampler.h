// Sampler: turns one row of logits into the next token of one completion, in llama.cpp's default
// order: logit bias -> penalties -> (greedy when temperature is 0) -> top-k -> top-p -> min-p ->
// temperature -> softmax -> seeded draw. One Sampler per completion: it holds the RNG and the
// counts behind the presence and frequency penalties.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sampling/logprobs.h"
#include "sampling/penalties.h"
#include "sampling/rng.h"
#include "sampling/sampling_params.h"
#include "sampling/truncation.h"

namespace inhouse::sampling {

class Sampler {
public:
    // Allocates every buffer sample() needs: [n_vocab] candidates, plus [n_vocab] scratch for
    // each penalty that is on. Precondition: validate(params, n_vocab) succeeded (checked; the
    // stop-string and top_logprobs limits are the caller's business and are not re-applied).
    Sampler(const SamplingParams& params, std::int32_t n_vocab);
    // Move-only: a copy would duplicate [n_vocab] buffers behind the caller's back.
    Sampler(Sampler&&) noexcept = default;
    Sampler& operator=(Sampler&&) noexcept = default;
    Sampler(const Sampler&) = delete;
    Sampler& operator=(const Sampler&) = delete;

    // The seed in use: params.seed, or the one drawn from std::random_device, so that a server
    // can report it and a run can be repeated. The RNG and its uniform doubles are exact integer
    // arithmetic; probabilities use std::exp in double, so platforms whose libm differs in the
    // last bit could draw differently only when the uniform number falls within ~1e-16 of the
    // boundary between two tokens.
    std::uint64_t seed() const { return seed_; }

    // Picks the next token.
    // logits: [n_vocab]; used as scratch and left holding the biased and penalised logits
    //   (NaN replaced by -inf, +inf by the largest finite float).
    // recent_tokens: the sequence so far, prompt then completion, oldest first; its last
    //   penalty_last_n tokens feed repetition_penalty. The completion's own tokens, for the
    //   presence and frequency penalties, are the ones this Sampler returned.
    // Always returns an id in [0, n_vocab). When nothing can be sampled (every logit -inf or
    // NaN after the bias) it returns the first end-of-generation id, or 0 without one, so that
    // the completion ends instead of failing. Allocates nothing.
    TokenId sample(std::span<float> logits, std::span<const TokenId> recent_tokens) noexcept;

    // With params.logprobs, the last sampled token and its log-probability, and (with
    // top_logprobs > 0) the most likely tokens, best first; views stay valid until the next
    // sample(). They describe the model's distribution after logit bias and penalties but before
    // truncation and temperature (log-softmax at temperature 1): the model's view, which is how
    // we read OpenAI's logprobs, unaffected by top_k, top_p, min_p and temperature. (vLLM's
    // default reports the raw logits, before bias and penalties, instead.)
    TokenLogprob sampled_logprob() const { return sampled_logprob_; }
    std::span<const TokenLogprob> top_logprobs() const {
        return std::span<const TokenLogprob>(top_logprobs_).first(n_top_logprobs_);
    }

private:
    void apply_bias_and_penalties(std::span<float> logits,
                                  std::span<const TokenId> recent_tokens) noexcept;
    TokenId pick_greedy(std::span<const float> logits) const noexcept;
    TokenId pick_random(std::span<const float> logits) noexcept;
    TokenId draw(std::span<Candidate> kept) noexcept;
    void record_logprobs(std::span<const float> logits, TokenId chosen) noexcept;

    SamplingParams params_;
    std::uint64_t seed_;
    Rng rng_;
    TokenId fallback_token_;
    bool has_repetition_penalty_;
    bool has_completion_penalties_;

    std::vector<Candidate> candidates_;  // [n_vocab]
    std::vector<std::uint8_t> seen_;     // [n_vocab] when repetition_penalty is on, else empty
    CompletionTokenCounts completion_counts_;  // sized only when presence/frequency are on
    std::vector<TokenLogprob> top_logprobs_;   // [params.top_logprobs]
    std::size_t n_top_logprobs_ = 0;
    TokenLogprob sampled_logprob_{.id = 0, .logprob = 0.0f};
};

}  // namespace inhouse::sampling
