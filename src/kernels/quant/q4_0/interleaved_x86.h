// The traits of Q4_0's interleaved layout (q4_0/interleaved.h) for the x86 kernels over it
// (kernels/simd/interleaved_gemm.h, kernels/simd/amx_small_block.h); built in each level's namespace.
#pragma once

#include "kernels/quant/q4_0/interleaved.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/simd/interleaved_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

struct InterleavedQ4_0Traits : UnsignedInterleavedLevels {
    using GroupBlock = GroupBlockQ4_0;
    using Activation = BlockQ8_0;
    static constexpr bool kHasMin = false;
    static constexpr int kOffset = -8;
    static void unpack(const GroupBlock& w, __m256i (&levels)[8]) noexcept { unpack_interleaved_nibbles(w.qs, levels); }
    static __m256 scales(const GroupBlock& w) noexcept { return load_eight_fp16(w.d); }
};

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
