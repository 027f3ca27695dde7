// Q4_1 reference kernels. This file is the specification.
//
// Quantization (ggml's quantize_row_q4_1_ref, bit for bit): d = (max - min) / 15 in float,
// m = min; nibble = min(15, trunc((x - min) · (1/d) + 0.5)), each operation rounded to float,
// with the float min and d (not their fp16 copies).
//
// Dot with Q8_1 activations a = d_a · q_a:
//   Σ (d · nibble + m) · d_a · q_a = d · d_a · Σ nibble · q_a + m · s_a
// where s_a = d_a · Σ q_a is stored in the activation block.
#include <algorithm>

#include "core/check.h"
#include "kernels/fp16.h"
#include "kernels/quant/int8_dot.h"
#include "kernels/quant/q4_1/block.h"
#include "kernels/quant/q8_1/block.h"
#include "kernels/quant/rounding.h"

namespace inhouse::kernels::ref {

namespace {

constexpr int kBlockSize = BlockQ4_1::kBlockSize;
constexpr int kHalf = kBlockSize / 2;

void unpack_levels(const BlockQ4_1& block, std::int8_t* levels) noexcept {
    for (int i = 0; i < kHalf; ++i) {
        levels[i] = static_cast<std::int8_t>(block.qs[i] & 0x0f);
        levels[i + kHalf] = static_cast<std::int8_t>(block.qs[i] >> 4);
    }
}

}  // namespace

void dequantize_row_q4_1(const void* src, float* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* blocks = static_cast<const BlockQ4_1*>(src);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_levels(blocks[block], levels);
        const float d = fp16_to_fp32(blocks[block].d);
        const float m = fp16_to_fp32(blocks[block].m);
        float* out = dst + block * kBlockSize;
        // d · level is exact (11 × 4 significant bits), so fused or not, one rounding.
        for (int i = 0; i < kBlockSize; ++i) out[i] = static_cast<float>(levels[i]) * d + m;
    }
}

void quantize_row_q4_1(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<BlockQ4_1*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const float* x = src + block * kBlockSize;
        const auto [min_it, max_it] = std::minmax_element(x, x + kBlockSize);
        const float min = *min_it;
        const float d = (*max_it - min) / 15.0f;
        const float inverse_d = d != 0.0f ? 1.0f / d : 0.0f;
        float scaled[kBlockSize];
        subtract_then_multiply_each(x, min, inverse_d, scaled, kBlockSize);
        std::uint8_t nibbles[kBlockSize];
        for (int i = 0; i < kBlockSize; ++i) {
            nibbles[i] =
                static_cast<std::uint8_t>(std::min(15, static_cast<int>(scaled[i] + 0.5f)));
        }
        blocks[block].d = fp32_to_fp16(d);
        blocks[block].m = fp32_to_fp16(min);
        for (int i = 0; i < kHalf; ++i) {
            blocks[block].qs[i] = static_cast<std::uint8_t>(nibbles[i] | (nibbles[i + kHalf] << 4));
        }
    }
}

float dot_q4_1(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* weights = static_cast<const BlockQ4_1*>(weight_row);
    const auto* activations = static_cast<const BlockQ8_1*>(activation_row);
    float sum = 0.0f;
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_levels(weights[block], levels);
        const std::int32_t products = dot_int8(levels, activations[block].qs, kBlockSize);
        sum += static_cast<float>(products) *
                   (fp16_to_fp32(weights[block].d) * fp16_to_fp32(activations[block].d)) +
               fp16_to_fp32(weights[block].m) * fp16_to_fp32(activations[block].s);
    }
    return sum;
}

}  // namespace inhouse::kernels::ref
