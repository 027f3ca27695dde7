// Q8_0 · Q8_0 with x86 SIMD, built once per level (kernels/simd/small_block_gemm.h). The same
// sum as ref::dot_q8_0; only the order of the float additions differs.
#include "kernels/quant/q8_0/block.h"
#include "kernels/simd/small_block_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

struct Q8_0Traits {
    using Weight = BlockQ8_0;
    using Activation = BlockQ8_0;
    static constexpr bool kHasMin = false;
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    // w + 128 is unsigned, so dpbusd takes it directly: Σ(w+128)·a − 128·Σa.
    static constexpr int kOffset = -128;
    static __m256i levels(const Weight& w) noexcept { return _mm256_xor_si256(load_256(w.qs), _mm256_set1_epi8(-128)); }
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_u8s8(acc, levels, a); }
#else
    // maddubs's int16 pair sums would overflow on w + 128: |w| and a with w's sign instead.
    static constexpr int kOffset = 0;
    static __m256i levels(const Weight& w) noexcept { return load_256(w.qs); }
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_s8s8(acc, levels, a); }
#endif
    static float scale(const Weight& w) noexcept { return fp16_to_float(w.d); }
};

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q8_0, SmallBlockKernel<Q8_0Traits>, kTileRows, kTileTokens)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
