// Q4_0 reference kernels. This file is the specification.
//
// Quantization (ggml's quantize_row_q4_0_ref, bit for bit): take the element of largest
// magnitude, m (the first one on ties, keeping its sign); d = m / -8 in float, so m itself
// maps to level 0 and the 16 levels span [-8d, 7d]; nibble = min(15, trunc(x · (1/d) + 8.5))
// with the product and the sum each rounded to float.
#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "kernels/fp16.h"
#include "kernels/quant/int8_dot.h"
#include "kernels/quant/q4_0/block.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/rounding.h"

namespace inhouse::kernels::ref {

namespace {

constexpr int kBlockSize = BlockQ4_0::kBlockSize;
constexpr int kHalf = kBlockSize / 2;

// The signed levels of one block, in element order.
void unpack_levels(const BlockQ4_0& block, std::int8_t* levels) noexcept {
    for (int i = 0; i < kHalf; ++i) {
        levels[i] = static_cast<std::int8_t>((block.qs[i] & 0x0f) - 8);
        levels[i + kHalf] = static_cast<std::int8_t>((block.qs[i] >> 4) - 8);
    }
}

}  // namespace

void dequantize_row_q4_0(const void* src, float* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* blocks = static_cast<const BlockQ4_0*>(src);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_levels(blocks[block], levels);
        const float d = fp16_to_fp32(blocks[block].d);
        float* out = dst + block * kBlockSize;
        for (int i = 0; i < kBlockSize; ++i) out[i] = static_cast<float>(levels[i]) * d;
    }
}

void quantize_row_q4_0(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<BlockQ4_0*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const float* x = src + block * kBlockSize;
        const float extreme = signed_extreme(x, kBlockSize);
        const float d = extreme / -8.0f;
        const float inverse_d = d != 0.0f ? 1.0f / d : 0.0f;
        float scaled[kBlockSize];
        multiply_each(x, inverse_d, scaled, kBlockSize);
        std::uint8_t nibbles[kBlockSize];
        for (int i = 0; i < kBlockSize; ++i) {
            nibbles[i] =
                static_cast<std::uint8_t>(std::min(15, static_cast<int>(scaled[i] + 8.5f)));
        }
        blocks[block].d = fp32_to_fp16(d);
        for (int i = 0; i < kHalf; ++i) {
            blocks[block].qs[i] = static_cast<std::uint8_t>(nibbles[i] | (nibbles[i + kHalf] << 4));
        }
    }
}

float dot_q4_0(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* weights = static_cast<const BlockQ4_0*>(weight_row);
    const auto* activations = static_cast<const BlockQ8_0*>(activation_row);
    float sum = 0.0f;
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_levels(weights[block], levels);
        const std::int32_t products = dot_int8(levels, activations[block].qs, kBlockSize);
        sum += static_cast<float>(products) *
               (fp16_to_fp32(weights[block].d) * fp16_to_fp32(activations[block].d));
    }
    return sum;
}

}  // namespace inhouse::kernels::ref
