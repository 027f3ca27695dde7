// Q5_0 · Q8_0 with x86 SIMD, built once per level (kernels/simd/small_block_gemm.h): the 5-bit
// values (0..31) are the unsigned operand, and −16 · Σa restores the levels' offset.
#include "kernels/quant/q5_0/block.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/q5_0/interleaved.h"
#include "kernels/quant/q5_0/interleaved_x86.h"
#include "kernels/simd/interleaved_gemm.h"
#include "kernels/simd/small_block_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

struct Q5_0Traits : UnsignedLevels {
    using Weight = BlockQ5_0;
    using Activation = BlockQ8_0;
    static constexpr bool kHasMin = false;
    static constexpr int kOffset = -16;
    static __m256i levels(const Weight& w) noexcept {
        const __m256i fifth_bits = _mm256_and_si256(bits_to_byte_mask(w.qh), _mm256_set1_epi8(0x10));
        return _mm256_or_si256(unpack_nibbles_low_then_high(w.qs), fifth_bits);
    }
    static float scale(const Weight& w) noexcept { return fp16_to_float(w.d); }
};

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q5_0, SmallBlockKernel<Q5_0Traits>, kTileRows, kTileTokens)

INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(q5_0, SmallBlockInterleavedKernel<InterleavedQ5_0Traits>,
                                      1, kInterleavedTileTokens, kInterleavedSingleTokenGroups)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
