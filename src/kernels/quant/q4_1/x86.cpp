// Q4_1 · Q8_1 with x86 SIMD, built once per level: rows as stored (kernels/simd/
// small_block_gemm.h) and rows interleaved eight at a time (kernels/simd/interleaved_gemm.h).
// As in ref::dot_q4_1, each block's min contributes m · s, s being the activation block's sum.
#include "kernels/quant/q4_1/block.h"
#include "kernels/quant/q4_1/interleaved.h"
#include "kernels/quant/q8_1/block.h"
#include "kernels/quant/q4_1/interleaved_x86.h"
#include "kernels/simd/interleaved_gemm.h"
#include "kernels/simd/small_block_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

struct Q4_1Traits : UnsignedLevels {
    using Weight = BlockQ4_1;
    using Activation = BlockQ8_1;
    static constexpr bool kHasMin = true;
    static constexpr int kOffset = 0;
    static __m256i levels(const Weight& w) noexcept { return unpack_nibbles_low_then_high(w.qs); }
    static float scale(const Weight& w) noexcept { return fp16_to_float(w.d); }
    static float min(const Weight& w) noexcept { return fp16_to_float(w.m); }
    static float activation_sum(const Activation& a) noexcept { return fp16_to_float(a.s); }
};

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q4_1, SmallBlockKernel<Q4_1Traits>, kTileRows, kTileTokens)

INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(q4_1, SmallBlockInterleavedKernel<InterleavedQ4_1Traits>,
                                      1, kInterleavedTileTokens, kInterleavedSingleTokenGroups)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
