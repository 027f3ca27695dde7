// IEEE half (fp16) and bfloat16 <-> float conversions, rounding to nearest-even exactly as
// ggml does (and as x86 F16C does), so that converted bytes match GGUF files bit for bit.
// Header-only and branch-light so that row loops over them vectorize.
#pragma once

#include <bit>
#include <cstdint>

#if defined(__F16C__)
#include <immintrin.h>
#endif

namespace inhouse::kernels {

// Exact: every half is a float. NaN payloads are kept (signalling NaNs stay signalling).
// Every case is computed and one picked with bit masks: g++ vectorizes loops over this, but
// not over the same selection written with ?: (it keeps the branches).
constexpr float fp16_to_fp32(std::uint16_t bits) noexcept {
    const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
    const std::uint32_t exponent = (bits >> 10) & 0x1fu;
    const std::uint32_t mantissa = bits & 0x3ffu;
    // 112 = float bias 127 minus half bias 15.
    const std::uint32_t normal = ((exponent + 112u) << 23) | (mantissa << 13);
    const std::uint32_t infinity_or_nan = 0x7f800000u | (mantissa << 13);
    // Zero or subnormal: mantissa × 2^-24, exact in float.
    const std::uint32_t subnormal = std::bit_cast<std::uint32_t>(
        static_cast<float>(static_cast<std::int32_t>(mantissa)) * 0x1p-24f);
    const std::uint32_t is_special = 0u - static_cast<std::uint32_t>(exponent == 0x1fu);
    const std::uint32_t is_subnormal = 0u - static_cast<std::uint32_t>(exponent == 0u);
    const std::uint32_t magnitude = (infinity_or_nan & is_special) | (subnormal & is_subnormal) |
                                    (normal & ~(is_special | is_subnormal));
    return std::bit_cast<float>(sign | magnitude);
}

// Rounds to nearest, ties to even; overflow gives infinity, NaN gives a quiet NaN (0x7e00
// with the sign kept, as ggml writes it).
constexpr std::uint16_t fp32_to_fp16(float value) noexcept {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
    const std::uint32_t sign = (bits >> 16) & 0x8000u;
    const std::uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return static_cast<std::uint16_t>(sign | 0x7e00u);
    // 0x477ff000 is 65520, halfway between 65504 (the largest half) and 65536: ties to even
    // round up, so it and everything above become infinity.
    if (magnitude >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);
    if (magnitude >= 0x38800000u) {
        // Normal half (>= 2^-14): rebias the exponent, then drop 13 mantissa bits rounding
        // to even; a carry out of the mantissa correctly bumps the exponent.
        const std::uint32_t rebiased = magnitude - (112u << 23);
        const std::uint32_t odd = (rebiased >> 13) & 1u;
        return static_cast<std::uint16_t>(sign | ((rebiased + 0xfffu + odd) >> 13));
    }
    // Subnormal half: count units of 2^-24. Below 2^-25 (or exactly it, a tie to even 0)
    // nothing is left.
    if (magnitude <= 0x33000000u) return static_cast<std::uint16_t>(sign);
    const std::uint32_t exponent = magnitude >> 23;  // 102..112
    const std::uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    const std::uint32_t shift = 126u - exponent;  // value = mantissa × 2^(exponent - 126) units
    const std::uint32_t units = mantissa >> shift;
    const std::uint32_t remainder = mantissa & ((1u << shift) - 1u);
    const std::uint32_t half = 1u << (shift - 1u);
    const bool round_up = remainder > half || (remainder == half && (units & 1u) != 0);
    // Rounding 1023 units up gives 0x400, the smallest normal half: the encoding carries.
    return static_cast<std::uint16_t>(sign | (units + (round_up ? 1u : 0u)));
}

constexpr float bf16_to_fp32(std::uint16_t bits) noexcept {
    return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

// Rounds to nearest, ties to even; NaN becomes a quiet NaN with its sign and top payload.
constexpr std::uint16_t fp32_to_bf16(float value) noexcept {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x40u);
    const std::uint32_t odd = (bits >> 16) & 1u;
    return static_cast<std::uint16_t>((bits + 0x7fffu + odd) >> 16);
}

// Sixteen halves to floats with AVX-512 or F16C where the build targets them, else one at a
// time as above: the same values (conversion to float is exact). Always inlined: attention
// calls it in loops whose sums live in vector registers, which a call would spill.
[[gnu::always_inline]] inline void fp16_to_fp32_16(const std::uint16_t* in, float* out) noexcept {
#if defined(__AVX512F__)
    // Zero-masked forms here and below: GCC 12's plain ones read an undefined register
    // (-Wmaybe-uninitialized).
    _mm512_storeu_ps(out, _mm512_maskz_cvtph_ps(0xffff, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in))));
#elif defined(__F16C__)
    for (int i = 0; i < 16; i += 8) {
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))));
    }
#else
    for (int i = 0; i < 16; ++i) out[i] = fp16_to_fp32(in[i]);
#endif
}

// A row of floats to halves, sixteen or eight at a time where the build targets AVX-512 or
// F16C: rounds to nearest even as fp32_to_fp16 does (a NaN stays a NaN, its payload aside).
inline void fp32_to_fp16_row(const float* in, std::uint16_t* out, std::int64_t n) noexcept {
    std::int64_t i = 0;
#if defined(__AVX512F__)
    for (; i + 16 <= n; i += 16) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i),
                            _mm512_maskz_cvtps_ph(0xffff, _mm512_loadu_ps(in + i),
                                                  _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
#elif defined(__F16C__)
    for (; i + 8 <= n; i += 8) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(in + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
#endif
    for (; i < n; ++i) out[i] = fp32_to_fp16(in[i]);
}

}  // namespace inhouse::kernels
