// Q4_0 · Q8_0 with x86 SIMD, built once per level (kernels/simd/small_block_gemm.h): the
// nibbles (0..15) are the unsigned operand, and −8 · Σa restores the levels' offset.
#include "kernels/quant/q4_0/block.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/q4_0/interleaved.h"
#include "kernels/quant/q4_0/interleaved_x86.h"
#include "kernels/simd/interleaved_gemm.h"
#include "kernels/simd/small_block_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

struct Q4_0Traits : UnsignedLevels {
    using Weight = BlockQ4_0;
    using Activation = BlockQ8_0;
    static constexpr bool kHasMin = false;
    static constexpr int kOffset = -8;
    static __m256i levels(const Weight& w) noexcept { return unpack_nibbles_low_then_high(w.qs); }
    static float scale(const Weight& w) noexcept { return fp16_to_float(w.d); }
};

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q4_0, SmallBlockKernel<Q4_0Traits>, kTileRows, kTileTokens)

INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(q4_0, SmallBlockInterleavedKernel<InterleavedQ4_0Traits>,
                                      kInterleavedOffsetTileGroups, kInterleavedOffsetTileTokens, kInterleavedSingleTokenGroups)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
