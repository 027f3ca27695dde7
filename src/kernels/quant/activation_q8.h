// The 8-bit activation quantizer that llama.cpp runs on x86 (AVX/AVX2/AVX-512) before a Q8_0
// or Q8_1 dot product. It differs from ggml's reference quantizer (quantize_row_q8_0_ref,
// which files are written with) in two ways: the inverse scale is 127/max rather than 1/d,
// and halfway cases round to even (the vector round instruction), not away from zero.
// Activations quantized the reference way land on a neighbouring level every few thousand
// elements, and over 30 layers that moves logits by tenths; quantized this way they are the
// bytes llama.cpp multiplies, so the two engines agree to float rounding.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/quant/rounding.h"

namespace inhouse::kernels {

// Writes n levels to qs and returns the block's scale d (in float, before any fp16 rounding).
inline float quantize_activation_block(const float* x, std::int8_t* qs, int n) noexcept {
    float max_abs = 0.0f;
    for (int i = 0; i < n; ++i) max_abs = std::max(max_abs, std::fabs(x[i]));
    const float inverse_d = max_abs != 0.0f ? 127.0f / max_abs : 0.0f;
    for (int i = 0; i < n; ++i) qs[i] = static_cast<std::int8_t>(round_half_to_even(x[i] * inverse_d));
    return max_abs / 127.0f;
}

}  // namespace inhouse::kernels
