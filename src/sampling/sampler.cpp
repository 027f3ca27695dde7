#include "sampling/sampler.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <random>

#include "core/check.h"

namespace inhouse::sampling {

namespace {

std::uint64_t draw_random_seed() {
    // std::random_device may throw when the system has no entropy source; a clock-based seed is
    // then better than failing the request (the seed is reported either way).
    try {
        std::random_device device;
        return (static_cast<std::uint64_t>(device()) << 32) ^ device();
    } catch (...) {
        return static_cast<std::uint64_t>(
            std::chrono::high_resolution_clock::now().time_since_epoch().count());
    }
}

ValidationLimits no_output_limits() {
    return ValidationLimits{.max_stop_strings = std::numeric_limits<std::size_t>::max(),
                            .max_stop_string_bytes = std::numeric_limits<std::size_t>::max(),
                            .max_top_logprobs = std::numeric_limits<std::int32_t>::max()};
}

bool is_minus_infinity(float logit) { return std::isinf(logit) && logit < 0.0f; }

}  // namespace

Sampler::Sampler(const SamplingParams& params, std::int32_t n_vocab)
    : params_(params),
      seed_(params.seed ? *params.seed : draw_random_seed()),
      rng_(seed_),
      fallback_token_(params.end_of_generation_ids.empty() ? 0
                                                           : params.end_of_generation_ids.front()),
      has_repetition_penalty_(params.repetition_penalty != 1.0f && params.penalty_last_n != 0),
      has_completion_penalties_(params.presence_penalty != 0.0f ||
                                params.frequency_penalty != 0.0f) {
    const Status status = validate(params, n_vocab, no_output_limits());
    INHOUSE_CHECK(status.ok(), "Sampler given unvalidated parameters: {}",
                  status.ok() ? "" : status.error().to_string());
    const auto vocab_size = static_cast<std::size_t>(n_vocab);
    candidates_.resize(vocab_size);
    if (has_repetition_penalty_) {
        seen_.assign(vocab_size, 0);
    }
    if (has_completion_penalties_) {
        completion_counts_ = CompletionTokenCounts(n_vocab, params.max_tokens.value_or(n_vocab));
    }
    top_logprobs_.resize(static_cast<std::size_t>(params.top_logprobs));
}

TokenId Sampler::sample(std::span<float> logits, std::span<const TokenId> recent_tokens) noexcept {
    INHOUSE_CHECK(logits.size() == candidates_.size(), "logits has {} entries, n_vocab is {}",
                  logits.size(), candidates_.size());
    apply_bias_and_penalties(logits, recent_tokens);
    const TokenId chosen = params_.temperature == 0.0f ? pick_greedy(logits) : pick_random(logits);
    if (params_.logprobs) {
        record_logprobs(logits, chosen);
    }
    if (has_completion_penalties_) {
        completion_counts_.add(chosen);
    }
    return chosen;
}

void Sampler::apply_bias_and_penalties(std::span<float> logits,
                                       std::span<const TokenId> recent_tokens) noexcept {
    apply_logit_bias(logits, params_.logit_bias);
    if (has_repetition_penalty_) {
        const std::size_t window_size =
            params_.penalty_last_n < 0
                ? recent_tokens.size()
                : std::min(recent_tokens.size(), static_cast<std::size_t>(params_.penalty_last_n));
        apply_repetition_penalty(logits, recent_tokens.last(window_size),
                                 params_.repetition_penalty, seen_);
    }
    if (has_completion_penalties_) {
        completion_counts_.apply(logits, params_.presence_penalty, params_.frequency_penalty);
    }
    // Last, because the transforms above keep NaN and -inf as they are but can push a huge
    // finite logit to +inf (a penalty below 1, a negative frequency penalty).
    sanitize_logits(logits);
}

TokenId Sampler::pick_greedy(std::span<const float> logits) const noexcept {
    // Strictly greater: the lowest id wins a tie.
    std::size_t best = 0;
    for (std::size_t index = 1; index < logits.size(); ++index) {
        if (logits[index] > logits[best]) {
            best = index;
        }
    }
    return is_minus_infinity(logits[best]) ? fallback_token_ : static_cast<TokenId>(best);
}

TokenId Sampler::pick_random(std::span<const float> logits) noexcept {
    // Only finite logits become candidates: -inf ones could never be drawn.
    std::size_t n_candidates = 0;
    for (std::size_t index = 0; index < logits.size(); ++index) {
        if (!is_minus_infinity(logits[index])) {
            candidates_[n_candidates++] =
                Candidate{.id = static_cast<TokenId>(index), .logit = logits[index]};
        }
    }
    if (n_candidates == 0) {
        return fallback_token_;
    }
    std::span<Candidate> kept = std::span<Candidate>(candidates_).first(n_candidates);
    kept = keep_top_k(kept, params_.top_k);
    kept = keep_top_p(kept, params_.top_p);
    kept = keep_min_p(kept, params_.min_p);
    return draw(kept);
}

TokenId Sampler::draw(std::span<Candidate> kept) noexcept {
    float best = kept.front().logit;
    for (const Candidate& candidate : kept) {
        best = std::max(best, candidate.logit);
    }
    // The logit field now holds each candidate's unnormalised weight, rounded to float once so
    // that the walk below adds up exactly the numbers that made `total`.
    const double temperature = params_.temperature;
    double total = 0.0;
    for (Candidate& candidate : kept) {
        candidate.logit = static_cast<float>(
            std::exp((static_cast<double>(candidate.logit) - best) / temperature));
        total += candidate.logit;
    }
    const double target = rng_.next_unit_double() * total;
    double cumulative = 0.0;
    TokenId last_possible = kept.front().id;
    for (const Candidate& candidate : kept) {
        cumulative += candidate.logit;
        if (target < cumulative) {
            return candidate.id;
        }
        if (candidate.logit > 0.0f) {
            last_possible = candidate.id;
        }
    }
    return last_possible;  // target rounded up to total
}

void Sampler::record_logprobs(std::span<const float> logits, TokenId chosen) noexcept {
    const double log_normalizer = log_sum_exp(logits);
    const float chosen_logit = logits[static_cast<std::size_t>(chosen)];
    sampled_logprob_ =
        TokenLogprob{.id = chosen,
                     .logprob = is_minus_infinity(chosen_logit)
                                    ? chosen_logit
                                    : static_cast<float>(chosen_logit - log_normalizer)};
    n_top_logprobs_ = select_top_logprobs(logits, log_normalizer, top_logprobs_);
}

}  // namespace inhouse::sampling
