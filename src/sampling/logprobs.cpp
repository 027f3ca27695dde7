#include "sampling/logprobs.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace inhouse::sampling {

double log_sum_exp(std::span<const float> logits) noexcept {
    float best = -std::numeric_limits<float>::infinity();
    for (const float logit : logits) {
        best = std::max(best, logit);
    }
    if (std::isinf(best) && best < 0.0f) {
        return -std::numeric_limits<double>::infinity();
    }
    double total = 0.0;
    for (const float logit : logits) {
        total += std::exp(static_cast<double>(logit) - best);
    }
    return best + std::log(total);
}

std::size_t select_top_logprobs(std::span<const float> logits, double log_normalizer,
                                std::span<TokenLogprob> top) noexcept {
    if (top.empty()) {
        return 0;
    }
    // top[0, n_found) holds the best logits so far (in the logprob field), best first. Ids are
    // visited in increasing order, so an equal logit never displaces an earlier id.
    std::size_t n_found = 0;
    for (std::size_t index = 0; index < logits.size(); ++index) {
        const float logit = logits[index];
        if (std::isinf(logit) && logit < 0.0f) {
            continue;
        }
        if (n_found == top.size() && !(logit > top[n_found - 1].logprob)) {
            continue;
        }
        std::size_t slot = std::min(n_found, top.size() - 1);
        while (slot > 0 && logit > top[slot - 1].logprob) {
            top[slot] = top[slot - 1];
            --slot;
        }
        top[slot] = TokenLogprob{.id = static_cast<TokenId>(index), .logprob = logit};
        n_found = std::min(n_found + 1, top.size());
    }
    for (std::size_t index = 0; index < n_found; ++index) {
        top[index].logprob = static_cast<float>(top[index].logprob - log_normalizer);
    }
    return n_found;
}

}  // namespace inhouse::sampling
