// Q8_0 · Q8_0 with x86 SIMD, built once per level (kernels/simd/small_block_gemm.h). The same
// sum as ref::dot_q8_0; only the order of the float additions differs.
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/q8_0/interleaved.h"
#include "kernels/simd/interleaved_gemm.h"
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


struct InterleavedQ8_0Traits {
    using GroupBlock = GroupBlockQ8_0;
    using Activation = BlockQ8_0;
    static constexpr bool kHasMin = false;
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    // As Q8_0Traits: w + 128 is the unsigned operand, and −128 · Σa takes the bias back.
    static constexpr int kOffset = -128;
    static void unpack(const GroupBlock& w, __m256i (&levels)[8]) noexcept {
        for (int i = 0; i < 8; ++i) levels[i] = _mm256_xor_si256(load_256(w.qs + 32 * i), _mm256_set1_epi8(-128));
    }
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_u8s8(acc, levels, a); }
#else
    static constexpr int kOffset = 0;
    static void unpack(const GroupBlock& w, __m256i (&levels)[8]) noexcept {
        for (int i = 0; i < 8; ++i) levels[i] = load_256(w.qs + 32 * i);
    }
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_s8s8(acc, levels, a); }
#endif
    static __m256 scales(const GroupBlock& w) noexcept { return load_eight_fp16(w.d); }
};

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q8_0, SmallBlockKernel<Q8_0Traits>, kTileRows, kTileTokens)

void gemm_interleaved_q8_0(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    interleaved_gemm<SmallBlockInterleavedKernel<InterleavedQ8_0Traits>, kInterleavedOffsetTileGroups,
                     kInterleavedOffsetTileTokens, kInterleavedSingleTokenGroups>(
        w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride);
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
