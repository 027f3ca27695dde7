#include "kernels/quant/k_quant_fit.h"

#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "kernels/quant/rounding.h"

namespace inhouse::kernels {

namespace {

// Below this a sub-block counts as all zeros (ggml's GROUP_MAX_EPS).
constexpr float kNegligibleMagnitude = 1e-15f;

// Sub-blocks are 16 or 32 elements; the scratch buffers allow a whole super-block.
constexpr int kMaxElements = 256;

// Weighted squared error of x ≈ scale · level + offset.
float weighted_error(const float* x, const float* weights, const std::uint8_t* levels, int n,
                     float scale, float offset) noexcept {
    float error = 0.0f;
    for (int i = 0; i < n; ++i) {
        const float difference = scale * static_cast<float>(levels[i]) + offset - x[i];
        error += weights[i] * difference * difference;
    }
    return error;
}

// Weighted least-squares (scale, offset) for fixed levels, with offset <= 0. Returns false
// when the levels are all equal (the system is singular).
bool refit_scale_and_offset(const float* x, const float* weights, const std::uint8_t* levels, int n,
                            float& scale, float& offset) noexcept {
    float sum_w = 0.0f, sum_l = 0.0f, sum_ll = 0.0f, sum_x = 0.0f, sum_lx = 0.0f;
    for (int i = 0; i < n; ++i) {
        const float level = static_cast<float>(levels[i]);
        sum_w += weights[i];
        sum_l += weights[i] * level;
        sum_ll += weights[i] * level * level;
        sum_x += weights[i] * x[i];
        sum_lx += weights[i] * level * x[i];
    }
    const float determinant = sum_w * sum_ll - sum_l * sum_l;
    if (!(determinant > 0.0f)) return false;
    scale = (sum_w * sum_lx - sum_x * sum_l) / determinant;
    offset = (sum_ll * sum_x - sum_l * sum_lx) / determinant;
    if (offset > 0.0f) {
        // The format subtracts a non-negative min; the best fit through 0 is then l·x / l·l.
        offset = 0.0f;
        scale = sum_lx / sum_ll;
    }
    return true;
}

void round_to_grid(const float* x, int n, float low, float inverse_scale, int max_level,
                   std::uint8_t* levels) noexcept {
    for (int i = 0; i < n; ++i) {
        const int level = round_half_to_even(inverse_scale * (x[i] - low));
        levels[i] = static_cast<std::uint8_t>(std::clamp(level, 0, max_level));
    }
}

}  // namespace

ScaleMinFit fit_scale_and_min(const float* x, const float* weights, int n, int max_level,
                              const ScaleSearch& search, std::uint8_t* levels) noexcept {
    INHOUSE_DCHECK(n > 0 && n <= kMaxElements, "sub-block of {} elements", n);
    const auto [min_it, max_it] = std::minmax_element(x, x + n);
    const float low = std::min(*min_it, 0.0f);
    const float high = *max_it;
    if (high == low) {
        std::fill(levels, levels + n, std::uint8_t{0});
        return {0.0f, -low};
    }
    const float range = high - low;
    round_to_grid(x, n, low, static_cast<float>(max_level) / range, max_level, levels);
    float best_scale = range / static_cast<float>(max_level);
    float best_offset = low;
    float best_error = weighted_error(x, weights, levels, n, best_scale, best_offset);

    std::uint8_t candidate[kMaxElements];
    for (int step = 0; step <= search.n_steps; ++step) {
        const float grid = static_cast<float>(max_level) + search.first_offset +
                           search.step * static_cast<float>(step);
        round_to_grid(x, n, low, grid / range, max_level, candidate);
        float scale = 0.0f, offset = 0.0f;
        if (!refit_scale_and_offset(x, weights, candidate, n, scale, offset)) continue;
        const float error = weighted_error(x, weights, candidate, n, scale, offset);
        if (error < best_error) {
            best_error = error;
            best_scale = scale;
            best_offset = offset;
            std::copy(candidate, candidate + n, levels);
        }
    }
    return {std::max(best_scale, 0.0f), -best_offset};
}

float fit_signed_scale(const float* x, int n, int max_level, std::int8_t* levels) noexcept {
    INHOUSE_DCHECK(n > 0 && n <= kMaxElements, "sub-block of {} elements", n);
    const float extreme = signed_extreme(x, n);
    std::fill(levels, levels + n, std::int8_t{0});
    if (std::fabs(extreme) < kNegligibleMagnitude) return 0.0f;

    // For fixed levels the best scale is Σ w·x·l / Σ w·l², and the error falls as
    // (Σ w·x·l)² / Σ w·l² rises: maximize that over grids slightly finer and coarser than the
    // one putting `extreme` exactly on -max_level.
    float best_quality = -1.0f;
    float best_scale = 0.0f;
    std::int8_t candidate[kMaxElements];
    for (int step = -9; step <= 9; ++step) {
        const float inverse_scale =
            -(static_cast<float>(max_level) + 0.1f * static_cast<float>(step)) / extreme;
        float sum_lx = 0.0f, sum_ll = 0.0f;
        for (int i = 0; i < n; ++i) {
            const int level =
                std::clamp(round_half_to_even(inverse_scale * x[i]), -max_level, max_level - 1);
            candidate[i] = static_cast<std::int8_t>(level);
            const float weight = x[i] * x[i];
            sum_lx += weight * x[i] * static_cast<float>(level);
            sum_ll += weight * static_cast<float>(level * level);
        }
        if (!(sum_ll > 0.0f)) continue;
        const float quality = sum_lx * sum_lx / sum_ll;
        if (quality > best_quality) {
            best_quality = quality;
            best_scale = sum_lx / sum_ll;
            std::copy(candidate, candidate + n, levels);
        }
    }
    return best_scale;
}

}  // namespace inhouse::kernels
