// The traits of Q4_1's interleaved layout (q4_1/interleaved.h) for the x86 kernels over it
// (kernels/simd/interleaved_gemm.h, kernels/simd/amx_small_block.h); built in each level's namespace.
#pragma once

#include "kernels/quant/q4_1/interleaved.h"
#include "kernels/quant/q8_1/block.h"
#include "kernels/simd/interleaved_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

struct InterleavedQ4_1Traits : UnsignedInterleavedLevels {
    using GroupBlock = GroupBlockQ4_1;
    using Activation = BlockQ8_1;
    static constexpr bool kHasMin = true;
    static constexpr int kOffset = 0;
    static void unpack(const GroupBlock& w, __m256i (&levels)[8]) noexcept { unpack_interleaved_nibbles(w.qs, levels); }
    static __m256 scales(const GroupBlock& w) noexcept { return load_eight_fp16(w.d); }
    static __m256 mins(const GroupBlock& w) noexcept { return load_eight_fp16(w.m); }
    static float activation_sum(const Activation& a) noexcept { return fp16_to_float(a.s); }
};

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
