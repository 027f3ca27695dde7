#include "sampling/penalties.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace inhouse::sampling {

namespace {

bool is_inside(TokenId id, std::size_t n_vocab) {
    return id >= 0 && static_cast<std::size_t>(id) < n_vocab;
}

}  // namespace

void sanitize_logits(std::span<float> logits) noexcept {
    constexpr float kInfinity = std::numeric_limits<float>::infinity();
    for (float& logit : logits) {
        if (std::isnan(logit)) {
            logit = -kInfinity;
        } else if (logit == kInfinity) {
            logit = std::numeric_limits<float>::max();
        }
    }
}

void apply_logit_bias(std::span<float> logits,
                      const std::map<TokenId, float>& logit_bias) noexcept {
    for (const auto& [id, bias] : logit_bias) {
        float& logit = logits[static_cast<std::size_t>(id)];
        logit = bias == kBanBias ? -std::numeric_limits<float>::infinity() : logit + bias;
    }
}

void apply_repetition_penalty(std::span<float> logits, std::span<const TokenId> window,
                              float penalty, std::span<std::uint8_t> seen) noexcept {
    // Penalised once per distinct token however often it repeats, as llama.cpp does.
    for (const TokenId id : window) {
        if (!is_inside(id, logits.size()) || seen[static_cast<std::size_t>(id)] != 0) {
            continue;
        }
        seen[static_cast<std::size_t>(id)] = 1;
        float& logit = logits[static_cast<std::size_t>(id)];
        logit = logit > 0.0f ? logit / penalty : logit * penalty;
    }
    for (const TokenId id : window) {
        if (is_inside(id, logits.size())) {
            seen[static_cast<std::size_t>(id)] = 0;
        }
    }
}

CompletionTokenCounts::CompletionTokenCounts(std::int32_t n_vocab, std::int32_t max_distinct)
    : counts_(static_cast<std::size_t>(n_vocab), 0) {
    distinct_.reserve(static_cast<std::size_t>(std::min(n_vocab, max_distinct)));
}

void CompletionTokenCounts::add(TokenId id) noexcept {
    if (!is_inside(id, counts_.size())) {
        return;
    }
    std::int32_t& count = counts_[static_cast<std::size_t>(id)];
    if (count == 0) {
        // Within the reserved capacity unless more tokens were generated than announced, in
        // which case growing is still correct, only no longer allocation-free.
        distinct_.push_back(id);
    }
    ++count;
}

std::int32_t CompletionTokenCounts::count(TokenId id) const noexcept {
    return is_inside(id, counts_.size()) ? counts_[static_cast<std::size_t>(id)] : 0;
}

void CompletionTokenCounts::apply(std::span<float> logits, float presence,
                                  float frequency) const noexcept {
    for (const TokenId id : distinct_) {
        // In double, where frequency * count is exact, so the result is the same whether or not
        // the compiler fuses the multiply-add: seeded runs must not depend on -march.
        const double penalty =
            static_cast<double>(presence) +
            static_cast<double>(frequency) * counts_[static_cast<std::size_t>(id)];
        float& logit = logits[static_cast<std::size_t>(id)];
        logit = static_cast<float>(static_cast<double>(logit) - penalty);
    }
}

}  // namespace inhouse::sampling
