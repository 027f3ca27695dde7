// Q4_K · Q8_K with x86 SIMD, built once per level (kernels/simd/x86_common.h). Per super-block:
// d · Σ_sub scale · Σ level·a  −  dmin · Σ_sub min · Σ a, the activation sums coming from
// Q8_K's 16-element bsums.
#include "kernels/quant/q4_k/block.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

float dot_q4_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    const auto* w = static_cast<const BlockQ4_K*>(weight_row);
    const auto* a = static_cast<const BlockQ8_K*>(activation_row);
    const __m256i low_nibble = _mm256_set1_epi8(0x0f);
    __m256 acc = _mm256_setzero_ps();
    float mins = 0.0f;
    for (std::int64_t b = 0; b < n / BlockQ4_K::kBlockSize; ++b) {
        __m256i sums = _mm256_setzero_si256();
        int min_sum = 0;
        for (int chunk = 0; chunk < 4; ++chunk) {
            const ScaleAndMin first = unpack_k4_scale_and_min(w[b].scales, 2 * chunk);
            const ScaleAndMin second = unpack_k4_scale_and_min(w[b].scales, 2 * chunk + 1);
            const std::int16_t* bsums = a[b].bsums + 4 * chunk;
            min_sum += first.min * (bsums[0] + bsums[1]) + second.min * (bsums[2] + bsums[3]);
            const __m256i packed = load_256(w[b].qs + 32 * chunk);
            const __m256i low = _mm256_and_si256(packed, low_nibble);
            const __m256i high = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low_nibble);
            sums = add_scaled_dot_u8s8(sums, low, load_256(a[b].qs + 64 * chunk), first.scale, first.scale);
            sums = add_scaled_dot_u8s8(sums, high, load_256(a[b].qs + 64 * chunk + 32), second.scale, second.scale);
        }
        acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_set1_ps(fp16_to_float(w[b].d) * a[b].d), _mm256_cvtepi32_ps(sums)));
        mins += fp16_to_float(w[b].dmin) * a[b].d * static_cast<float>(min_sum);
    }
    return horizontal_sum(acc) - mins;
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
