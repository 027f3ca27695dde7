// Q8_K reference kernels. This file is the specification.
//
// Quantization (ggml's quantize_row_q8_K_ref, bit for bit): take the element of largest
// magnitude, m (the first one on ties, keeping its sign); inverse scale s = -127 / m in float;
// qs[i] = min(127, round_half_to_even(s · x[i])), so m itself becomes -127; d = 1 / s.
// An all-zero block gets d = 0 and zero quants and sums (ggml leaves its bsums unset there).
#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "kernels/quant/int8_dot.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/quant/rounding.h"

namespace inhouse::kernels::ref {

namespace {
constexpr int kBlockSize = BlockQ8_K::kBlockSize;
constexpr int kGroupSize = 16;

void quantize_block(const float* x, BlockQ8_K& block) noexcept {
    const float extreme = signed_extreme(x, kBlockSize);
    if (extreme == 0.0f) {
        block = BlockQ8_K{};
        return;
    }
    const float inverse_scale = -127.0f / extreme;
    for (int i = 0; i < kBlockSize; ++i) {
        block.qs[i] =
            static_cast<std::int8_t>(std::min(127, round_half_to_even(inverse_scale * x[i])));
    }
    for (int group = 0; group < kBlockSize / kGroupSize; ++group) {
        int sum = 0;
        for (int i = 0; i < kGroupSize; ++i) sum += block.qs[group * kGroupSize + i];
        block.bsums[group] = static_cast<std::int16_t>(sum);
    }
    block.d = 1.0f / inverse_scale;
}

}  // namespace

void dequantize_row_q8_k(const void* src, float* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* blocks = static_cast<const BlockQ8_K*>(src);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const float d = blocks[block].d;
        float* out = dst + block * kBlockSize;
        for (int i = 0; i < kBlockSize; ++i) out[i] = static_cast<float>(blocks[block].qs[i]) * d;
    }
}

void quantize_row_q8_k(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<BlockQ8_K*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        quantize_block(src + block * kBlockSize, blocks[block]);
    }
}

float dot_q8_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* weights = static_cast<const BlockQ8_K*>(weight_row);
    const auto* activations = static_cast<const BlockQ8_K*>(activation_row);
    float sum = 0.0f;
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const std::int32_t products =
            dot_int8(weights[block].qs, activations[block].qs, kBlockSize);
        sum += static_cast<float>(products) * (weights[block].d * activations[block].d);
    }
    return sum;
}

}  // namespace inhouse::kernels::ref
