// Reading Q6_K's interleaved layout (q6_k/interleaved.h) with x86 SIMD, shared by its VNNI and
// AMX kernels; built in each level's namespace.
#pragma once

#include "kernels/quant/q6_k/interleaved.h"
#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

// Levels (0..63) of quarter q of a column: ql is its ql[q % 2] register, qh its qh register.
inline __m256i interleaved_q6_k_levels(__m256i ql, __m256i qh, int q) noexcept {
    const __m256i low = _mm256_and_si256(q < 2 ? ql : _mm256_srli_epi16(ql, 4), _mm256_set1_epi8(0x0f));
    // Bits 2q, 2q + 1 of each byte to bits 4, 5 (16-bit shifts: what crosses a byte is masked off).
    const __m256i high = q < 2 ? _mm256_slli_epi16(qh, 4 - 2 * q) : (q == 2 ? qh : _mm256_srli_epi16(qh, 2));
    return _mm256_or_si256(low, _mm256_and_si256(high, _mm256_set1_epi8(0x30)));
}

// Levels (0..63) of sub-block 4h + q, four elements × eight rows per register: levels[j] holds
// elements 4j..4j+3 of each row.
inline void unpack_interleaved_q6_k_levels(const GroupBlockQ6_K& gb, int h, int q, __m256i (&levels)[8]) noexcept {
    for (int j = 0; j < 8; ++j) {
        levels[j] = interleaved_q6_k_levels(load_256(gb.bits[h][j].ql[q % 2]), load_256(gb.bits[h][j].qh), q);
    }
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
