// Q6_K reference kernels. This file is the specification.
//
// Quantization follows the method of ggml's quantize_row_q6_K_ref, not its exact bytes:
//   1. each 16-element sub-block gets a signed scale by least squares weighted by x²
//      (fit_signed_scale in k_quant_fit.h), levels in [-32, 31];
//   2. the scale of largest magnitude, s, sets d = s / -128, and every sub-block's scale is
//      rounded to an int8 code (at most 127) against it;
//   3. the levels are recomputed against the rounded scales: level = round(x / (d·code)),
//      clamped to [-32, 31].
//
// Dot with Q8_K activations a = d_a · q_a:  d_a · d · Σ_j code_j · Σ level·q_a.
#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "kernels/fp16.h"
#include "kernels/quant/int8_dot.h"
#include "kernels/quant/k_quant_fit.h"
#include "kernels/quant/q6_k/block.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/quant/rounding.h"

namespace inhouse::kernels::ref {

namespace {

constexpr int kBlockSize = BlockQ6_K::kBlockSize;
constexpr int kSubBlockSize = 16;
constexpr int kSubBlocks = kBlockSize / kSubBlockSize;
constexpr int kLevelBias = 32;

// Signed levels, value - 32, in [-32, 31].
void unpack_levels(const BlockQ6_K& block, std::int8_t* levels) noexcept {
    for (int half = 0; half < 2; ++half) {
        const std::uint8_t* ql = block.ql + 64 * half;
        const std::uint8_t* qh = block.qh + 32 * half;
        std::int8_t* out = levels + 128 * half;
        for (int l = 0; l < 32; ++l) {
            out[l] =
                static_cast<std::int8_t>(((ql[l] & 0x0f) | (((qh[l] >> 0) & 3) << 4)) - kLevelBias);
            out[l + 32] = static_cast<std::int8_t>(
                ((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - kLevelBias);
            out[l + 64] =
                static_cast<std::int8_t>(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - kLevelBias);
            out[l + 96] = static_cast<std::int8_t>(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) -
                                                   kLevelBias);
        }
    }
}

// Inverse of unpack_levels; `levels` in [-32, 31].
void pack_levels(const std::int8_t* levels, BlockQ6_K& block) noexcept {
    for (int half = 0; half < 2; ++half) {
        std::uint8_t* ql = block.ql + 64 * half;
        std::uint8_t* qh = block.qh + 32 * half;
        const std::int8_t* in = levels + 128 * half;
        for (int l = 0; l < 32; ++l) {
            const int v0 = in[l] + kLevelBias;
            const int v1 = in[l + 32] + kLevelBias;
            const int v2 = in[l + 64] + kLevelBias;
            const int v3 = in[l + 96] + kLevelBias;
            ql[l] = static_cast<std::uint8_t>((v0 & 0x0f) | ((v2 & 0x0f) << 4));
            ql[l + 32] = static_cast<std::uint8_t>((v1 & 0x0f) | ((v3 & 0x0f) << 4));
            qh[l] = static_cast<std::uint8_t>((v0 >> 4) | ((v1 >> 4) << 2) | ((v2 >> 4) << 4) |
                                              ((v3 >> 4) << 6));
        }
    }
}

void quantize_block(const float* x, BlockQ6_K& block) noexcept {
    std::int8_t levels[kBlockSize];
    float scales[kSubBlocks];
    float extreme_scale = 0.0f;
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        scales[sub] = fit_signed_scale(x + sub * kSubBlockSize, kSubBlockSize, 32,
                                       levels + sub * kSubBlockSize);
        if (std::fabs(scales[sub]) > std::fabs(extreme_scale)) extreme_scale = scales[sub];
    }
    if (extreme_scale == 0.0f) {
        block = BlockQ6_K{};
        std::fill(levels, levels + kBlockSize, std::int8_t{0});
        pack_levels(levels, block);
        return;
    }
    const float inverse_d = -128.0f / extreme_scale;
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        block.scales[sub] =
            static_cast<std::int8_t>(std::min(127, round_half_to_even(inverse_d * scales[sub])));
    }
    block.d = fp32_to_fp16(1.0f / inverse_d);

    const float d = fp16_to_fp32(block.d);
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        const float step = d * static_cast<float>(block.scales[sub]);
        for (int i = sub * kSubBlockSize; i < (sub + 1) * kSubBlockSize; ++i) {
            levels[i] = step == 0.0f ? std::int8_t{0}
                                     : static_cast<std::int8_t>(
                                           std::clamp(round_half_to_even(x[i] / step), -32, 31));
        }
    }
    pack_levels(levels, block);
}

}  // namespace

void dequantize_row_q6_k(const void* src, float* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* blocks = static_cast<const BlockQ6_K*>(src);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_levels(blocks[block], levels);
        const float d = fp16_to_fp32(blocks[block].d);
        float* out = dst + block * kBlockSize;
        for (int sub = 0; sub < kSubBlocks; ++sub) {
            // Exact: fp16 × int8 fits a float, as does the product with a 6-bit level.
            const float step = d * static_cast<float>(blocks[block].scales[sub]);
            for (int i = sub * kSubBlockSize; i < (sub + 1) * kSubBlockSize; ++i) {
                out[i] = step * static_cast<float>(levels[i]);
            }
        }
    }
}

void quantize_row_q6_k(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<BlockQ6_K*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        quantize_block(src + block * kBlockSize, blocks[block]);
    }
}

float dot_q6_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* weights = static_cast<const BlockQ6_K*>(weight_row);
    const auto* activations = static_cast<const BlockQ8_K*>(activation_row);
    float sum = 0.0f;
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_levels(weights[block], levels);
        std::int32_t scaled_products = 0;
        for (int sub = 0; sub < kSubBlocks; ++sub) {
            const int first = sub * kSubBlockSize;
            scaled_products +=
                weights[block].scales[sub] *
                dot_int8(levels + first, activations[block].qs + first, kSubBlockSize);
        }
        sum += activations[block].d * fp16_to_fp32(weights[block].d) *
               static_cast<float>(scaled_products);
    }
    return sum;
}

}  // namespace inhouse::kernels::ref
