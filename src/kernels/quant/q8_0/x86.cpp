// Q8_0 · Q8_0 with x86 SIMD, built once per level (kernels/simd/small_block_gemm.h). The same
// sum as ref::dot_q8_0; only the order of the float additions differs.
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/q8_0/interleaved.h"
#include "kernels/simd/interleaved_gemm.h"
#include "kernels/simd/small_block_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

// Signed weight bytes as a product's first operand, shared by both layouts.
struct SignedWeightBytes {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    // w + 128 is unsigned, so dpbusd takes it directly: Σ(w+128)·a − 128·Σa.
    static constexpr int kOffset = -128;
    static __m256i levels_of(__m256i w) noexcept { return _mm256_xor_si256(w, _mm256_set1_epi8(-128)); }
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_u8s8(acc, levels, a); }
#else
    // maddubs's int16 pair sums would overflow on w + 128: |w| and a with w's sign instead.
    static constexpr int kOffset = 0;
    static __m256i levels_of(__m256i w) noexcept { return w; }
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_s8s8(acc, levels, a); }
#endif
};

struct Q8_0Traits : SignedWeightBytes {
    using Weight = BlockQ8_0;
    using Activation = BlockQ8_0;
    static constexpr bool kHasMin = false;
    static __m256i levels(const Weight& w) noexcept { return levels_of(load_256(w.qs)); }
    static float scale(const Weight& w) noexcept { return fp16_to_float(w.d); }
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

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q8_0, SmallBlockKernel<Q8_0Traits>, kTileRows, kTileTokens)

INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(q8_0, SmallBlockInterleavedKernel<InterleavedQ8_0Traits>,
                                      kInterleavedOffsetTileGroups, kInterleavedOffsetTileTokens, kInterleavedSingleTokenGroups)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
