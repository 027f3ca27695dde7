// Q8_0 · Q8_0 with x86 SIMD, built once per level (kernels/simd/small_block_gemm.h). The same
// sum as ref::dot_q8_0; only the order of the float additions differs.
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/q8_0/interleaved.h"
#include "kernels/quant/q8_0/interleaved_x86.h"
#include "kernels/simd/interleaved_gemm.h"
#include "kernels/simd/small_block_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

struct Q8_0Traits : SignedWeightBytes {
    using Weight = BlockQ8_0;
    using Activation = BlockQ8_0;
    static constexpr bool kHasMin = false;
    static __m256i levels(const Weight& w) noexcept { return levels_of(load_256(w.qs)); }
    static float scale(const Weight& w) noexcept { return fp16_to_float(w.d); }
};

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q8_0, SmallBlockKernel<Q8_0Traits>, kTileRows, kTileTokens)

INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(q8_0, SmallBlockInterleavedKernel<InterleavedQ8_0Traits>,
                                      kInterleavedOffsetTileGroups, kInterleavedOffsetTileTokens, kInterleavedSingleTokenGroups)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
