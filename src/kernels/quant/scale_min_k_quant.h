// The scheme Q4_K and Q5_K share: 256-element blocks of 8 sub-blocks of 32, each sub-block with
// a 6-bit scale and min against the block's fp16 d and dmin (k_scale_packing.h). The formats
// differ only in how many bits a level has and how levels are packed, which a Format supplies:
//   using Block;  kMaxLevel;  kSearch;  unpack_levels(const Block&, int8_t[256]);
//   pack_levels(const uint8_t[256], Block&)
//
// Quantization follows the method of ggml's reference (not its exact bytes):
//   1. each sub-block gets a (scale, min) by weighted least squares over a few candidate grids
//      (k_quant_fit.h), weighting element i by rms(sub-block) + |x_i|;
//   2. the largest scale and min set d = max_scale / 63 and dmin = max_min / 63, and every
//      sub-block's scale and min are rounded to 6 bits against them;
//   3. the levels are recomputed against the rounded scales: level = round((x + dmin·min) /
//      (d·scale)), clamped to [0, kMaxLevel].
// Dot with Q8_K activations a = d_a · q_a, using the activation block's 16-element sums:
//   Σ (d·scale_j·level - dmin·min_j) · d_a·q_a
//     = d_a · (d · Σ_j scale_j · Σ level·q_a  -  dmin · Σ_j min_j · Σ q_a)
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/check.h"
#include "kernels/fp16.h"
#include "kernels/quant/int8_dot.h"
#include "kernels/quant/k_quant_fit.h"
#include "kernels/quant/k_scale_packing.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/quant/rounding.h"

namespace inhouse::kernels::ref::scale_min_k_quant {

inline constexpr int kBlockSize = 256;
inline constexpr int kSubBlockSize = 32;

// Rounds non-negative values to integers in [0, 63] on a shared step (max / 63); returns it.
inline float quantize_to_six_bits(const float* values, std::uint8_t* out) noexcept {
    const float max = *std::max_element(values, values + kK4SubBlocks);
    const float inverse_step = max > 0.0f ? 63.0f / max : 0.0f;
    for (int i = 0; i < kK4SubBlocks; ++i) {
        out[i] = static_cast<std::uint8_t>(std::min(63, round_half_to_even(inverse_step * values[i])));
    }
    return max / 63.0f;
}

template <typename Format>
void quantize_block(const float* x, typename Format::Block& block) noexcept {
    std::uint8_t levels[kBlockSize];
    float scales[kK4SubBlocks];
    float mins[kK4SubBlocks];
    for (int sub = 0; sub < kK4SubBlocks; ++sub) {
        const float* xs = x + sub * kSubBlockSize;
        float sum_squares = 0.0f;
        for (int i = 0; i < kSubBlockSize; ++i) sum_squares += xs[i] * xs[i];
        const float rms = std::sqrt(sum_squares / kSubBlockSize);
        float weights[kSubBlockSize];
        for (int i = 0; i < kSubBlockSize; ++i) weights[i] = rms + std::fabs(xs[i]);
        const ScaleMinFit fit = fit_scale_and_min(xs, weights, kSubBlockSize, Format::kMaxLevel,
                                                  Format::kSearch, levels + sub * kSubBlockSize);
        scales[sub] = fit.scale;
        mins[sub] = fit.min;
    }
    std::uint8_t scale_codes[kK4SubBlocks];
    std::uint8_t min_codes[kK4SubBlocks];
    block.d = fp32_to_fp16(quantize_to_six_bits(scales, scale_codes));
    block.dmin = fp32_to_fp16(quantize_to_six_bits(mins, min_codes));
    pack_k4_scales_and_mins(scale_codes, min_codes, block.scales);

    const float d = fp16_to_fp32(block.d);
    const float dmin = fp16_to_fp32(block.dmin);
    for (int sub = 0; sub < kK4SubBlocks; ++sub) {
        const float step = d * static_cast<float>(scale_codes[sub]);
        if (step == 0.0f) continue;
        const float offset = dmin * static_cast<float>(min_codes[sub]);
        for (int i = sub * kSubBlockSize; i < (sub + 1) * kSubBlockSize; ++i) {
            levels[i] = static_cast<std::uint8_t>(
                std::clamp(round_half_to_even((x[i] + offset) / step), 0, Format::kMaxLevel));
        }
    }
    Format::pack_levels(levels, block);
}

template <typename Format>
void dequantize_row(const void* src, float* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* blocks = static_cast<const typename Format::Block*>(src);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        Format::unpack_levels(blocks[block], levels);
        const float d = fp16_to_fp32(blocks[block].d);
        const float dmin = fp16_to_fp32(blocks[block].dmin);
        float* out = dst + block * kBlockSize;
        for (int sub = 0; sub < kK4SubBlocks; ++sub) {
            const ScaleAndMin codes = unpack_k4_scale_and_min(blocks[block].scales, sub);
            // Both products are exact (fp16 × 6 bits, then × a level of ≤ 5 bits): one
            // rounding, fused or not.
            const float step = d * static_cast<float>(codes.scale);
            const float offset = dmin * static_cast<float>(codes.min);
            for (int i = sub * kSubBlockSize; i < (sub + 1) * kSubBlockSize; ++i) {
                out[i] = step * static_cast<float>(levels[i]) - offset;
            }
        }
    }
}

template <typename Format>
void quantize_row(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<typename Format::Block*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        quantize_block<Format>(src + block * kBlockSize, blocks[block]);
    }
}

template <typename Format>
float dot(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* weights = static_cast<const typename Format::Block*>(weight_row);
    const auto* activations = static_cast<const BlockQ8_K*>(activation_row);
    float sum = 0.0f;
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const auto& weight = weights[block];
        const BlockQ8_K& activation = activations[block];
        std::int8_t levels[kBlockSize];
        Format::unpack_levels(weight, levels);
        std::int32_t scaled_products = 0;
        std::int32_t scaled_mins = 0;
        for (int sub = 0; sub < kK4SubBlocks; ++sub) {
            const ScaleAndMin codes = unpack_k4_scale_and_min(weight.scales, sub);
            const int first = sub * kSubBlockSize;
            scaled_products += codes.scale * dot_int8(levels + first, activation.qs + first, kSubBlockSize);
            scaled_mins += codes.min * (activation.bsums[2 * sub] + activation.bsums[2 * sub + 1]);
        }
        sum += activation.d * (fp16_to_fp32(weight.d) * static_cast<float>(scaled_products) -
                               fp16_to_fp32(weight.dmin) * static_cast<float>(scaled_mins));
    }
    return sum;
}

}  // namespace inhouse::kernels::ref::scale_min_k_quant
