// Q8_0 · Q8_0 with x86 SIMD, built once per level (kernels/simd/x86_common.h). The same sum
// as ref::dot_q8_0; only the order of the float additions differs.
#include "kernels/quant/q8_0/block.h"
#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

float dot_q8_0(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    return sum_block_products<BlockQ8_0, BlockQ8_0>(
        weight_row, activation_row, n / BlockQ8_0::kBlockSize, [](const BlockQ8_0& w, const BlockQ8_0& a) {
            const __m256i dots = add_dot_s8s8(_mm256_setzero_si256(), load_256(w.qs), load_256(a.qs));
            return scale_lanes(fp16_to_float(w.d), fp16_to_float(a.d), dots);
        });
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
