// Q5_0 reference kernels. This file is the specification.
//
// Quantization (ggml's quantize_row_q5_0_ref, bit for bit): take the element of largest
// magnitude, m (the first one on ties, keeping its sign); d = m / -16 in float, so m maps to
// level 0 and the 32 levels span [-16d, 15d]; q = min(31, trunc(x · (1/d) + 16.5)) with the
// product and the sum each rounded to float.
#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "kernels/fp16.h"
#include "kernels/quant/five_bit_packing.h"
#include "kernels/quant/int8_dot.h"
#include "kernels/quant/q5_0/block.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/rounding.h"

namespace inhouse::kernels::ref {

namespace {
constexpr int kBlockSize = BlockQ5_0::kBlockSize;
constexpr int kBias = 16;
}  // namespace

void dequantize_row_q5_0(const void* src, float* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* blocks = static_cast<const BlockQ5_0*>(src);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_five_bit_levels(blocks[block].qs, blocks[block].qh, kBias, levels);
        const float d = fp16_to_fp32(blocks[block].d);
        float* out = dst + block * kBlockSize;
        for (int i = 0; i < kBlockSize; ++i) out[i] = static_cast<float>(levels[i]) * d;
    }
}

void quantize_row_q5_0(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<BlockQ5_0*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const float* x = src + block * kBlockSize;
        const float extreme = signed_extreme(x, kBlockSize);
        const float d = extreme / -16.0f;
        const float inverse_d = d != 0.0f ? 1.0f / d : 0.0f;
        float scaled[kBlockSize];
        multiply_each(x, inverse_d, scaled, kBlockSize);
        std::uint8_t values[kBlockSize];
        for (int i = 0; i < kBlockSize; ++i) {
            values[i] =
                static_cast<std::uint8_t>(std::min(31, static_cast<int>(scaled[i] + 16.5f)));
        }
        blocks[block].d = fp32_to_fp16(d);
        pack_five_bit_levels(values, blocks[block].qs, blocks[block].qh);
    }
}

float dot_q5_0(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* weights = static_cast<const BlockQ5_0*>(weight_row);
    const auto* activations = static_cast<const BlockQ8_0*>(activation_row);
    float sum = 0.0f;
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        std::int8_t levels[kBlockSize];
        unpack_five_bit_levels(weights[block].qs, weights[block].qh, kBias, levels);
        const std::int32_t products = dot_int8(levels, activations[block].qs, kBlockSize);
        sum += static_cast<float>(products) *
               (fp16_to_fp32(weights[block].d) * fp16_to_fp32(activations[block].d));
    }
    return sum;
}

}  // namespace inhouse::kernels::ref
