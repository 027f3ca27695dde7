// Least-squares searches that choose the sub-block scales of the K-quants when quantizing.
// Quantization is not on the inference hot path (activations use Q8_K, which needs none of
// this), so these favour accuracy and clarity over speed.
#pragma once

#include <cstdint>

namespace inhouse::kernels {

// Candidate grids to try: inverse scales (max_level + first_offset + step·k) / range for
// k = 0 … n_steps, around the plain min-to-max grid (k such that the offset is 0).
struct ScaleSearch {
    float first_offset;
    float step;
    int n_steps;
};

// x[i] ≈ scale · levels[i] - min, with scale >= 0 and min >= 0.
struct ScaleMinFit {
    float scale;
    float min;
};

// Chooses levels in [0, max_level] and (scale, min) minimizing Σ weights[i] · error[i]²,
// trying each grid of `search` and refitting scale and min by weighted least squares. The
// min is never negative: a sub-block of positive values keeps 0 as its lowest level.
ScaleMinFit fit_scale_and_min(const float* x, const float* weights, int n, int max_level,
                              const ScaleSearch& search, std::uint8_t* levels) noexcept;

// Chooses levels in [-max_level, max_level - 1] and a scale minimizing Σ x[i]² · error[i]²
// for x[i] ≈ scale · levels[i]. The element of largest magnitude starts at level -max_level
// (the side with the extra level), so the scale's sign is opposite to that element's. Returns
// 0 (all levels 0) for an all-zero input.
float fit_signed_scale(const float* x, int n, int max_level, std::int8_t* levels) noexcept;

}  // namespace inhouse::kernels
