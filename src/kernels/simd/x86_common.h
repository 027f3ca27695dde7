// Helpers for the x86 SIMD kernels (kernels/quant/<type>/x86.cpp). Each kernel file is
// compiled twice, once per level, with INHOUSE_SIMD_NS set to avx2 or avx512 and that level's
// target flags; everything here lives in that namespace, so the two builds never share an
// inline function (a shared one could be emitted with AVX-512 instructions and then run on
// an AVX2-only CPU). For the same reason these files call intrinsics, not std:: helpers.
//
// Vectors are 256 bits at both levels: the AVX-512 build adds VNNI's dpbusd (one instruction
// for the u8·s8 dot of four bytes), AVX-512VL encodings and more registers.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#ifndef INHOUSE_SIMD_NS
#error "compile SIMD kernels with INHOUSE_SIMD_NS defined (see src/CMakeLists.txt)"
#endif

namespace inhouse::kernels::INHOUSE_SIMD_NS {

inline float fp16_to_float(std::uint16_t half) noexcept { return _cvtsh_ss(half); }

inline float horizontal_sum(__m256 v) noexcept {
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

// Adds Σ u[4i..4i+3]·s[4i..4i+3] to int32 lane i, u unsigned and s signed bytes. The AVX2
// route goes through int16 pair sums, exact for the |u| ≤ 128, |s| ≤ 127 all callers pass.
inline __m256i add_dot_u8s8(__m256i acc, __m256i u, __m256i s) noexcept {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return _mm256_dpbusd_epi32(acc, u, s);
#else
    const __m256i pairs = _mm256_maddubs_epi16(u, s);
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
#endif
}

// add_dot_u8s8 with s = the four bytes at p in every lane. At the VNNI level dpbusd broadcasts
// its memory operand itself ({1to8}); GCC does not fold _mm256_set1_epi32 of a load into it, and
// the separate broadcasts took issue slots from the products.
inline __m256i add_dot_u8s8_broadcast(__m256i acc, __m256i u, const std::int8_t* p) noexcept {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    __asm__("vpdpbusd %2%{1to8%}, %1, %0" : "+v"(acc) : "v"(u), "m"(*reinterpret_cast<const std::int32_t*>(p)));
    return acc;
#else
    std::int32_t word;
    std::memcpy(&word, p, sizeof(word));
    return add_dot_u8s8(acc, u, _mm256_set1_epi32(word));
#endif
}

// Adds a[2i]·b[2i] + a[2i+1]·b[2i+1] (int16 pairs) to int32 lane i.
inline __m256i add_dot_s16(__m256i acc, __m256i a, __m256i b) noexcept {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return _mm256_dpwssd_epi32(acc, a, b);
#else
    return _mm256_add_epi32(acc, _mm256_madd_epi16(a, b));
#endif
}

// int16 scales for add_scaled_dot_u8s8: scale_low for bytes 0..15, scale_high for 16..31.
inline __m256i sub_block_scales(int scale_low, int scale_high) noexcept {
    return _mm256_set_m128i(_mm_set1_epi16(static_cast<short>(scale_high)),
                            _mm_set1_epi16(static_cast<short>(scale_low)));
}

// Adds the dot of bytes 0..15 times the low scale and of bytes 16..31 times the high one
// (sub_block_scales), spread over int32 lanes 0..3 and 4..7: the K-quants' sub-block scales.
// Through int16 pair sums at both levels: maddubs + madd with the scales is two cheap
// instructions, where dpbusd would need a slow 32-bit multiply for the scales; exact for the
// |u| ≤ 63 the K-quants pass.
inline __m256i add_scaled_dot_u8s8(__m256i acc, __m256i u, __m256i s, __m256i scales) noexcept {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return _mm256_dpwssd_epi32(acc, _mm256_maddubs_epi16(u, s), scales);
#else
    return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), scales));
#endif
}

// The K-quants' sub-block scales as int16 lanes, the same eight in both 128-bit halves; then
// scales_of(scales, low, high) spreads lane `low` over the low half and lane `high` over the
// high half: the int16 scales add_scaled_dot_u8s8 takes, in one shuffle.
inline __m256i int16_scales_in_both_halves(__m128i eight_int16) noexcept {
    return _mm256_broadcastsi128_si256(eight_int16);
}
inline __m256i scales_of(__m256i scales, int low, int high) noexcept {
    const auto pick = [](int lane) { return static_cast<short>(0x0100 + 0x0202 * lane); };
    const __m256i selector = _mm256_set_m128i(_mm_set1_epi16(pick(high)), _mm_set1_epi16(pick(low)));
    return _mm256_shuffle_epi8(scales, selector);
}

// Σ of the four int32 lanes.
inline int horizontal_sum_epi32(__m128i v) noexcept {
    v = _mm_add_epi32(v, _mm_unpackhi_epi64(v, v));
    v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 1));
    return _mm_cvtsi128_si32(v);
}

// Signed × signed: |w| · (a with w's sign), so the unsigned operand is |w| ≤ 128.
inline __m256i add_dot_s8s8(__m256i acc, __m256i w, __m256i a) noexcept {
    return add_dot_u8s8(acc, _mm256_sign_epi8(w, w), _mm256_sign_epi8(a, w));
}

// 16 bytes of packed nibbles → 32 bytes: the low nibbles, then the high nibbles (the order
// of Q4_0/Q4_1/Q5_x blocks).
inline __m256i unpack_nibbles_low_then_high(const std::uint8_t* packed) noexcept {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(packed));
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(bytes, 4), bytes);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0f));
}

// 32 bits → 32 bytes, byte i = 0xff where bit i is set.
inline __m256i bits_to_byte_mask(const std::uint8_t* bits_le) noexcept {
    std::uint32_t bits;
    std::memcpy(&bits, bits_le, sizeof(bits));
    const __m256i spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32(static_cast<int>(bits)),
        _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3,
                         3, 3, 3, 3, 3, 3));
    const __m256i bit_of_byte = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ULL));
    return _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit_of_byte), bit_of_byte);
}

// The float accumulators of a tile of R rows (or row groups) × T tokens, zeroed.
template <int R, int T>
inline void zero_accumulators(__m256 (&acc)[R][T]) noexcept {
    for (auto& row : acc) {
        for (auto& value : row) value = _mm256_setzero_ps();
    }
}

inline __m256i load_256(const void* p) noexcept { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
