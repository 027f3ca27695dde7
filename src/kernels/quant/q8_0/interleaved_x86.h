// The traits of Q8_0's interleaved layout (q8_0/interleaved.h) for the x86 kernels over it
// (kernels/simd/interleaved_gemm.h, kernels/simd/amx_small_block.h); built in each level's namespace.
#pragma once

#include "kernels/quant/q8_0/interleaved.h"
#include "kernels/simd/interleaved_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

// Signed weight bytes as a product's first operand, shared by both layouts.
struct SignedWeightBytes {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    // w + 128 is unsigned, so dpbusd takes it directly: Σ(w+128)·a − 128·Σa.
    static constexpr int kOffset = -128;
    static __m256i levels_of(__m256i w) noexcept { return _mm256_xor_si256(w, _mm256_set1_epi8(-128)); }
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_u8s8(acc, levels, a); }
    static __m256i product_with_four_bytes(__m256i acc, __m256i levels, const std::int8_t* p) noexcept {
        return add_dot_u8s8_broadcast(acc, levels, p);
    }
#else
    // maddubs's int16 pair sums would overflow on w + 128: |w| and a with w's sign instead.
    static constexpr int kOffset = 0;
    static __m256i levels_of(__m256i w) noexcept { return w; }
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_s8s8(acc, levels, a); }
    static __m256i product_with_four_bytes(__m256i acc, __m256i levels, const std::int8_t* p) noexcept {
        return add_dot_s8s8(acc, levels, broadcast_four_bytes(p));
    }
#endif
};

struct InterleavedQ8_0Traits : SignedWeightBytes {
    using GroupBlock = GroupBlockQ8_0;
    using Activation = BlockQ8_0;
    static constexpr bool kHasMin = false;
    static void unpack(const GroupBlock& w, __m256i (&levels)[8]) noexcept {
        for (int i = 0; i < 8; ++i) levels[i] = levels_of(load_256(w.qs + 32 * i));
    }
    static __m256 scales(const GroupBlock& w) noexcept { return load_eight_fp16(w.d); }
};

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
