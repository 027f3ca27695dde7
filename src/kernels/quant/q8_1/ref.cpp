// Q8_1 reference kernels. This file is the specification.
//
// Quantization (ggml's quantize_row_q8_1_ref, bit for bit): as Q8_0 — d = max|x| / 127 in
// float, qs[i] = roundf(x[i] · (1/d)) — plus s = fp16(float(Σ qs[i]) · d) with the float d.
// Dequantization ignores s: the elements are d · qs[i].
#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "kernels/fp16.h"
#include "kernels/quant/activation_q8.h"
#include "kernels/quant/int8_dot.h"
#include "kernels/quant/q8_1/block.h"
#include "kernels/quant/rounding.h"

namespace inhouse::kernels::ref {

namespace {
constexpr int kBlockSize = BlockQ8_1::kBlockSize;
}  // namespace

void dequantize_row_q8_1(const void* src, float* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* blocks = static_cast<const BlockQ8_1*>(src);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const float d = fp16_to_fp32(blocks[block].d);
        float* out = dst + block * kBlockSize;
        for (int i = 0; i < kBlockSize; ++i) out[i] = static_cast<float>(blocks[block].qs[i]) * d;
    }
}

void quantize_row_q8_1(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<BlockQ8_1*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const float* x = src + block * kBlockSize;
        float max_abs = 0.0f;
        for (int i = 0; i < kBlockSize; ++i) max_abs = std::max(max_abs, std::fabs(x[i]));
        const float d = max_abs / 127.0f;
        const float inverse_d = d != 0.0f ? 1.0f / d : 0.0f;
        int sum = 0;
        for (int i = 0; i < kBlockSize; ++i) {
            const int q = round_half_away_from_zero(x[i] * inverse_d);
            blocks[block].qs[i] = static_cast<std::int8_t>(q);
            sum += q;
        }
        blocks[block].d = fp32_to_fp16(d);
        blocks[block].s = fp32_to_fp16(static_cast<float>(sum) * d);
    }
}

void quantize_activations_q8_1(const float* src, void* dst, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    auto* blocks = static_cast<BlockQ8_1*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const float d = quantize_activation_block(src + block * kBlockSize, blocks[block].qs, kBlockSize);
        int sum = 0;
        for (int i = 0; i < kBlockSize; ++i) sum += blocks[block].qs[i];
        blocks[block].d = fp32_to_fp16(d);
        blocks[block].s = fp32_to_fp16(d * static_cast<float>(sum));
    }
}

float dot_q8_1(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n % kBlockSize == 0, "row length {} is not a multiple of {}", n, kBlockSize);
    const auto* weights = static_cast<const BlockQ8_1*>(weight_row);
    const auto* activations = static_cast<const BlockQ8_1*>(activation_row);
    float sum = 0.0f;
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) {
        const std::int32_t products =
            dot_int8(weights[block].qs, activations[block].qs, kBlockSize);
        sum += static_cast<float>(products) *
               (fp16_to_fp32(weights[block].d) * fp16_to_fp32(activations[block].d));
    }
    return sum;
}

}  // namespace inhouse::kernels::ref
