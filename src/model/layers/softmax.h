// Vectorizable exponentials: attention computes one per cached position, per head, per token,
// and the gated FFN activations one per hidden unit, so std::exp and std::tanh (a call per
// element) were a tenth of prefill each.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "model/layers/lane_sum.h"

namespace inhouse::model {

// e^x within a few ulp for x in [−87, 88] (clamped outside: ~0 below, ~1.7e38 above):
// Cody–Waite reduction to x = n·ln2 + r, a degree-6 polynomial for e^r, and 2^n from the
// exponent bits. Unlike std::exp it has no call or branch, so loops over it vectorize.
inline float fast_exp(float x) noexcept {
    x = std::min(std::max(x, -87.0f), 88.0f);
    const float n = std::nearbyint(x * 1.44269504088896341f);
    float r = std::fma(n, -0.693145751953125f, x);
    r = std::fma(n, -1.428606765330187045e-06f, r);
    float p = 1.0f / 720.0f;
    p = std::fma(p, r, 1.0f / 120.0f);
    p = std::fma(p, r, 1.0f / 24.0f);
    p = std::fma(p, r, 1.0f / 6.0f);
    p = std::fma(p, r, 0.5f);
    p = std::fma(p, r, 1.0f);
    p = std::fma(p, r, 1.0f);
    const auto two_to_n = std::bit_cast<float>((static_cast<std::int32_t>(n) + 127) << 23);
    return p * two_to_n;
}

// scores[i] ← e^(scores[i] − max) in place; returns their sum.
inline float exponentiate(float* scores, std::int64_t n, float max_score) noexcept {
    for (std::int64_t i = 0; i < n; ++i) scores[i] = fast_exp(scores[i] - max_score);
    return sum_in_16_lanes(n, [scores](std::int64_t j) { return scores[j]; });
}

}  // namespace inhouse::model
