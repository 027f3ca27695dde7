// Pieces of the x86 activation quantizers (kernels/quant/q8_0 and q8_k x86.cpp): the same
// float operations as the scalar ones (kernels/quant/activation_q8.h, q8_k/ref.cpp) eight
// lanes at a time, so they write the same bytes. Built in each level's namespace.
#pragma once

#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

inline __m256 absolute_values(__m256 v) noexcept { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v); }

// The largest |x| of n floats (n a multiple of 8); a NaN is skipped, as std::max(m, NaN) keeps m
// (max_ps returns its second operand when either is a NaN).
inline float max_absolute_value(const float* x, int n) noexcept {
    __m256 max = _mm256_setzero_ps();
    for (int i = 0; i < n; i += 8) max = _mm256_max_ps(absolute_values(_mm256_loadu_ps(x + i)), max);
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(max), _mm256_extractf128_ps(max, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ps(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
}

// round_half_to_even(x[i] · factor) for 32 elements (the conversion rounds to nearest even in
// the default rounding mode, as nearbyint does), as 32 int8 in order; levels outside ±127
// cannot occur (|x · factor| ≤ 127 by the choice of factor).
inline __m256i round_to_int8(const float* x, __m256 factor) noexcept {
    __m256i q[4];
    for (int i = 0; i < 4; ++i) q[i] = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 8 * i), factor));
    // The packs work within 128-bit halves: 0–3 4–7 of each input come out interleaved.
    const __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
    return _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
