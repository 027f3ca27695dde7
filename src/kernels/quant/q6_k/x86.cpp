// Q6_K · Q8_K with x86 SIMD, built once per level (kernels/simd/x86_common.h). Per super-block:
// d · Σ_g scale_g · (Σ q·a − 32 · Σ a) over the sixteen 16-element groups, q the unsigned
// 6-bit value; Σ a per group is Q8_K's bsums.
#include "kernels/quant/q6_k/block.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

float dot_q6_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    const auto* w = static_cast<const BlockQ6_K*>(weight_row);
    const auto* a = static_cast<const BlockQ8_K*>(activation_row);
    const __m256i low_nibble = _mm256_set1_epi8(0x0f);
    const __m256i two_bits_at_4 = _mm256_set1_epi8(0x30);
    __m256 acc = _mm256_setzero_ps();
    float offsets = 0.0f;
    for (std::int64_t b = 0; b < n / BlockQ6_K::kBlockSize; ++b) {
        const std::int8_t* scales = w[b].scales;
        __m256i sums = _mm256_setzero_si256();
        for (int half = 0; half < 2; ++half) {
            const __m256i low_a = load_256(w[b].ql + 64 * half);
            const __m256i low_b = load_256(w[b].ql + 64 * half + 32);
            const __m256i high = load_256(w[b].qh + 32 * half);
            // Elements 128·half + 32k + l for k = 0..3: the nibble and the 2 high bits (at bit 4).
            const __m256i levels[4] = {
                _mm256_or_si256(_mm256_and_si256(low_a, low_nibble),
                                _mm256_and_si256(_mm256_slli_epi16(high, 4), two_bits_at_4)),
                _mm256_or_si256(_mm256_and_si256(low_b, low_nibble),
                                _mm256_and_si256(_mm256_slli_epi16(high, 2), two_bits_at_4)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(low_a, 4), low_nibble),
                                _mm256_and_si256(high, two_bits_at_4)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(low_b, 4), low_nibble),
                                _mm256_and_si256(_mm256_srli_epi16(high, 2), two_bits_at_4)),
            };
            for (int k = 0; k < 4; ++k) {
                const int group = 8 * half + 2 * k;
                sums = add_scaled_dot_u8s8(sums, levels[k], load_256(a[b].qs + 128 * half + 32 * k), scales[group],
                                           scales[group + 1]);
            }
        }
        int offset_sum = 0;
        for (int group = 0; group < 16; ++group) offset_sum += scales[group] * a[b].bsums[group];
        const float d = fp16_to_float(w[b].d) * a[b].d;
        acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sums)));
        offsets += d * static_cast<float>(32 * offset_sum);
    }
    return horizontal_sum(acc) - offsets;
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
