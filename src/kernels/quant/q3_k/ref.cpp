// Q3_K reference kernels. This file is the specification.
//
// Quantization follows the method of ggml's quantize_row_q3_K_ref, not its exact bytes:
//   1. each 16-element sub-block gets a signed scale by least squares weighted by x²
//      (fit_signed_scale in k_quant_fit.h), levels in [-4, 3];
//   2. the scale of largest magnitude, s, sets d = s / -32, and every sub-block's scale is
//      rounded to a 6-bit code in [-32, 31] against it;
//   3. the levels are recomputed against the rounded scales: level = round(x / (d·code)),
//      clamped to [-4, 3].
//
// Dot with Q8_K activations a = d_a · q_a:  d_a · d · Σ_j code_j · Σ level·q_a.
#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "kernels/fp16.h"
#include "kernels/quant/int8_dot.h"
#include "kernels/quant/k_quant_fit.h"
#include "kernels/quant/q3_k/block.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/quant/rounding.h"
#include "kernels/quant/two_bit_packing.h"

namespace inhouse::kernels::ref {

namespace {

constexpr int kBlockSize = BlockQ3_K::kBlockSize;
constexpr int kSubBlockSize = 16;
constexpr int kSubBlocks = kBlockSize / kSubBlockSize;
constexpr int kScaleBias = 32;

// Sub-block scale codes, minus their bias of 32: in [-32, 31].
void unpack_scales(const std::uint8_t* packed, int* scales) noexcept {
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        const int low = (packed[sub % 8] >> (sub < 8 ? 0 : 4)) & 0x0f;
        const int high = (packed[8 + sub % 4] >> (2 * (sub / 4))) & 3;
        scales[sub] = (low | (high << 4)) - kScaleBias;
    }
}

// Inverse of unpack_scales, from biased codes in [0, 63].
void pack_scales(const std::uint8_t* codes, std::uint8_t* packed) noexcept {
    std::fill(packed, packed + 12, std::uint8_t{0});
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        packed[sub % 8] =
            static_cast<std::uint8_t>(packed[sub % 8] | ((codes[sub] & 0x0f) << (sub < 8 ? 0 : 4)));
        packed[8 + sub % 4] =
            static_cast<std::uint8_t>(packed[8 + sub % 4] | ((codes[sub] >> 4) << (2 * (sub / 4))));
    }
}

void unpack_levels(const BlockQ3_K& block, std::int8_t* levels) noexcept {
    unpack_two_bit_levels(block.qs, levels);
    for (int i = 0; i < kBlockSize; ++i) {
        const bool high = ((block.hmask[i % 32] >> (i / 32)) & 1) != 0;
        levels[i] = static_cast<std::int8_t>(levels[i] - (high ? 0 : 4));
    }
}

// `levels` in [-4, 3].
void pack_levels(const std::int8_t* levels, BlockQ3_K& block) noexcept {
    std::uint8_t low_bits[kBlockSize];
    std::fill(block.hmask, block.hmask + kBlockSize / 8, std::uint8_t{0});
    for (int i = 0; i < kBlockSize; ++i) {
        const int biased = levels[i] + 4;
        if (biased > 3)
            block.hmask[i % 32] = static_cast<std::uint8_t>(block.hmask[i % 32] | (1 << (i / 32)));
        low_bits[i] = static_cast<std::uint8_t>(biased & 3);
    }
    pack_two_bit_levels(low_bits, block.qs);
}

void quantize_block(const float* x, BlockQ3_K& block) noexcept {
    std::int8_t levels[kBlockSize];
    float scales[kSubBlocks];
    float extreme_scale = 0.0f;
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        scales[sub] = fit_signed_scale(x + sub * kSubBlockSize, kSubBlockSize, 4,
                                       levels + sub * kSubBlockSize);
        if (std::fabs(scales[sub]) > std::fabs(extreme_scale)) extreme_scale = scales[sub];
    }
    std::uint8_t codes[kSubBlocks];
    std::fill(codes, codes + kSubBlocks, std::uint8_t{kScaleBias});
    block.d = fp32_to_fp16(0.0f);
    if (extreme_scale != 0.0f) {
        const float inverse_d = -32.0f / extreme_scale;
        for (int sub = 0; sub < kSubBlocks; ++sub) {
            const int code = std::clamp(round_half_to_even(inverse_d * scales[sub]), -32, 31);
            codes[sub] = static_cast<std::uint8_t>(code + kScaleBias);
        }
        block.d = fp32_to_fp16(1.0f / inverse_d);
    }
    pack_scales(codes, block.scales);

    const float d = fp16_to_fp32(block.d);
    for (int sub = 0; sub < kSubBlocks; ++sub) {
        const float step = d * static_cast<float>(codes[sub] - kScaleBias);
        for (int i = sub * kSubBlockSize; i < (sub + 1) * kSubBlockSize; ++i) {
            levels[i] =
                step == 0.0f
                    ? std::int8_t{0}
                    : static_cast<std::int8_t>(std::clamp(round_half_to_even(x[i] / step), -4, 3));
        }
    }
    pack_levels(levels, block);
}

}  // namespace

void dequantize_row_q3_k(const void* src, float* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* blocks = static_cast<const BlockQ3_K*>(src);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_levels(blocks[block], levels);
        int scales[kSubBlocks];
        unpack_scales(blocks[block].scales, scales);
        const float d = fp16_to_fp32(blocks[block].d);
        float* out = dst + block * kBlockSize;
        for (int sub = 0; sub < kSubBlocks; ++sub) {
            const float step = d * static_cast<float>(scales[sub]);
            for (int i = sub * kSubBlockSize; i < (sub + 1) * kSubBlockSize; ++i) {
                out[i] = step * static_cast<float>(levels[i]);
            }
        }
    }
}

void quantize_row_q3_k(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<BlockQ3_K*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        quantize_block(src + block * kBlockSize, blocks[block]);
    }
}

float dot_q3_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* weights = static_cast<const BlockQ3_K*>(weight_row);
    const auto* activations = static_cast<const BlockQ8_K*>(activation_row);
    float sum = 0.0f;
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_levels(weights[block], levels);
        int scales[kSubBlocks];
        unpack_scales(weights[block].scales, scales);
        std::int32_t scaled_products = 0;
        for (int sub = 0; sub < kSubBlocks; ++sub) {
            const int first = sub * kSubBlockSize;
            scaled_products += scales[sub] * dot_int8(levels + first, activations[block].qs + first,
                                                      kSubBlockSize);
        }
        sum += activations[block].d * fp16_to_fp32(weights[block].d) *
               static_cast<float>(scaled_products);
    }
    return sum;
}

}  // namespace inhouse::kernels::ref
