// Q2_K reference kernels. This file is the specification.
//
// Quantization follows the method of ggml's quantize_row_q2_K_ref, not its exact bytes:
//   1. each 16-element sub-block gets a (scale, min) by weighted least squares over a few
//      candidate grids (k_quant_fit.h), weighting element i by |x_i|;
//   2. the largest scale and min set d = max_scale / 15 and dmin = max_min / 15, and every
//      sub-block's scale and min are rounded to 4 bits against them;
//   3. the levels are recomputed against the rounded scales: level = round((x + dmin·min) /
//      (d·scale)), clamped to [0, 3].
//
// Dot with Q8_K activations a = d_a · q_a, using the activation block's 16-element sums:
//   d_a · (d · Σ_j scale_j · Σ level·q_a  -  dmin · Σ_j min_j · bsum_j)
#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "kernels/fp16.h"
#include "kernels/quant/int8_dot.h"
#include "kernels/quant/k_quant_fit.h"
#include "kernels/quant/q2_k/block.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/quant/rounding.h"
#include "kernels/quant/two_bit_packing.h"

namespace inhouse::kernels::ref {

namespace {

constexpr int kBlockSize = BlockQ2_K::kBlockSize;
constexpr int kSubBlockSize = 16;
constexpr int kSubBlocks = kBlockSize / kSubBlockSize;
constexpr int kMaxLevel = 3;
constexpr ScaleSearch kSearch{.first_offset = -0.5f, .step = 0.1f, .n_steps = 15};

// Rounds non-negative values to integers in [0, 15] on a shared step (max / 15); returns it.
float quantize_to_four_bits(const float* values, std::uint8_t* out) noexcept {
    const float max = *std::max_element(values, values + kSubBlocks);
    const float inverse_step = max > 0.0f ? 15.0f / max : 0.0f;
    for (int i = 0; i < kSubBlocks; ++i) {
        out[i] =
            static_cast<std::uint8_t>(std::min(15, round_half_to_even(inverse_step * values[i])));
    }
    return max / 15.0f;
}

void quantize_block(const float* x, BlockQ2_K& block) noexcept {
    std::uint8_t levels[kBlockSize];
    float scales[kSubBlocks];
    float mins[kSubBlocks];
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        const float* xs = x + sub * kSubBlockSize;
        float weights[kSubBlockSize];
        for (int i = 0; i < kSubBlockSize; ++i) weights[i] = std::fabs(xs[i]);
        const ScaleMinFit fit = fit_scale_and_min(xs, weights, kSubBlockSize, kMaxLevel, kSearch,
                                                  levels + sub * kSubBlockSize);
        scales[sub] = fit.scale;
        mins[sub] = fit.min;
    }
    std::uint8_t scale_codes[kSubBlocks];
    std::uint8_t min_codes[kSubBlocks];
    block.d = fp32_to_fp16(quantize_to_four_bits(scales, scale_codes));
    block.dmin = fp32_to_fp16(quantize_to_four_bits(mins, min_codes));
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        block.scales[sub] = static_cast<std::uint8_t>(scale_codes[sub] | (min_codes[sub] << 4));
    }

    const float d = fp16_to_fp32(block.d);
    const float dmin = fp16_to_fp32(block.dmin);
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        const float step = d * static_cast<float>(scale_codes[sub]);
        if (step == 0.0f) continue;
        const float offset = dmin * static_cast<float>(min_codes[sub]);
        for (int i = sub * kSubBlockSize; i < (sub + 1) * kSubBlockSize; ++i) {
            levels[i] = static_cast<std::uint8_t>(
                std::clamp(round_half_to_even((x[i] + offset) / step), 0, kMaxLevel));
        }
    }
    pack_two_bit_levels(levels, block.qs);
}

}  // namespace

void dequantize_row_q2_k(const void* src, float* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* blocks = static_cast<const BlockQ2_K*>(src);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_two_bit_levels(blocks[block].qs, levels);
        const float d = fp16_to_fp32(blocks[block].d);
        const float dmin = fp16_to_fp32(blocks[block].dmin);
        float* out = dst + block * kBlockSize;
        for (int sub = 0; sub < kSubBlocks; ++sub) {
            // Both products are exact (fp16 × 4 bits, then × 2 bits): one rounding, fused or not.
            const float step = d * static_cast<float>(blocks[block].scales[sub] & 0x0f);
            const float offset = dmin * static_cast<float>(blocks[block].scales[sub] >> 4);
            for (int i = sub * kSubBlockSize; i < (sub + 1) * kSubBlockSize; ++i) {
                out[i] = step * static_cast<float>(levels[i]) - offset;
            }
        }
    }
}

void quantize_row_q2_k(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<BlockQ2_K*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        quantize_block(src + block * kBlockSize, blocks[block]);
    }
}

float dot_q2_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* weights = static_cast<const BlockQ2_K*>(weight_row);
    const auto* activations = static_cast<const BlockQ8_K*>(activation_row);
    float sum = 0.0f;
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const BlockQ2_K& weight = weights[block];
        const BlockQ8_K& activation = activations[block];
        std::int8_t levels[kBlockSize];
        unpack_two_bit_levels(weight.qs, levels);
        std::int32_t scaled_products = 0;
        std::int32_t scaled_mins = 0;
        for (int sub = 0; sub < kSubBlocks; ++sub) {
            const int first = sub * kSubBlockSize;
            const int products = dot_int8(levels + first, activation.qs + first, kSubBlockSize);
            scaled_products += (weight.scales[sub] & 0x0f) * products;
            scaled_mins += (weight.scales[sub] >> 4) * activation.bsums[sub];
        }
        sum += activation.d * (fp16_to_fp32(weight.d) * static_cast<float>(scaled_products) -
                               fp16_to_fp32(weight.dmin) * static_cast<float>(scaled_mins));
    }
    return sum;
}

}  // namespace inhouse::kernels::ref
