// Q4_1 · Q8_1 with x86 SIMD, built once per level (kernels/simd/x86_common.h). As in
// ref::dot_q4_1, each block's min contributes m · s, s being the activation block's sum.
#include "kernels/quant/q4_1/block.h"
#include "kernels/quant/q8_1/block.h"
#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

float dot_q4_1(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    const std::int64_t n_blocks = n / BlockQ4_1::kBlockSize;
    const float levels = sum_block_products<BlockQ4_1, BlockQ8_1>(
        weight_row, activation_row, n_blocks, [](const BlockQ4_1& w, const BlockQ8_1& a) {
            const __m256i dots =
                add_dot_u8s8(_mm256_setzero_si256(), unpack_nibbles_low_then_high(w.qs), load_256(a.qs));
            return scale_lanes(fp16_to_float(w.d), fp16_to_float(a.d), dots);
        });
    const auto* w = static_cast<const BlockQ4_1*>(weight_row);
    const auto* a = static_cast<const BlockQ8_1*>(activation_row);
    float mins = 0.0f;
    for (std::int64_t b = 0; b < n_blocks; ++b) mins += fp16_to_float(w[b].m) * fp16_to_float(a[b].s);
    return levels + mins;
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
