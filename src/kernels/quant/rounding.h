// Rounding and selection helpers shared by the reference quantizers. They pin down the exact
// float operations and tie-breaks of ggml's reference code (and of gguf-py's numpy port of
// it), so that our quantized bytes match theirs bit for bit.
#pragma once

#include <cmath>
#include <cstdint>

namespace inhouse::kernels {

// C's roundf: halfway cases away from zero (ggml's Q8_0 / Q8_1 rounding).
inline int round_half_away_from_zero(float value) noexcept {
    return static_cast<int>(std::round(value));
}

// Halfway cases to even, as the default FPU rounding mode does (ggml's nearest_int, used by
// the K-quants and Q8_K).
inline int round_half_to_even(float value) noexcept {
    return static_cast<int>(std::nearbyint(value));
}

// The element of largest magnitude, with its sign; the first one when several tie (as
// ggml's strict `>` scan and numpy's argmax pick); 0 for an all-zero input.
inline float signed_extreme(const float* x, int n) noexcept {
    float max_abs = 0.0f;
    float extreme = 0.0f;
    for (int i = 0; i < n; ++i) {
        if (std::fabs(x[i]) > max_abs) {
            max_abs = std::fabs(x[i]);
            extreme = x[i];
        }
    }
    return extreme;
}

// out[i] = x[i] * factor, each product rounded to float.
//
// Why a separate, never-inlined function: the reference quantizers compute
// (int)(x*id + 8.5f) and the like. g++ contracts `x*id + c` into one fused multiply-add when
// the target has FMA (-march=native), which rounds once instead of twice and now and then
// picks the neighbouring quant level. ggml's reference and gguf-py round the product first;
// materializing the products here, out of sight of the add, keeps us identical to them
// whatever the compiler flags.
[[gnu::noinline]] inline void multiply_each(const float* x, float factor, float* out,
                                            int n) noexcept {
    for (int i = 0; i < n; ++i) out[i] = x[i] * factor;
}

// out[i] = (x[i] - offset) * factor, the subtraction and the product each rounded to float
// (see multiply_each for why this is not inlined).
[[gnu::noinline]] inline void subtract_then_multiply_each(const float* x, float offset,
                                                          float factor, float* out,
                                                          int n) noexcept {
    for (int i = 0; i < n; ++i) out[i] = (x[i] - offset) * factor;
}

}  // namespace inhouse::kernels
