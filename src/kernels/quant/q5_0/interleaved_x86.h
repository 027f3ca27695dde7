// The traits of Q5_0's interleaved layout (q5_0/interleaved.h) for the x86 kernels over it
// (kernels/simd/interleaved_gemm.h, kernels/simd/amx_small_block.h); built in each level's namespace.
#pragma once

#include "kernels/quant/q5_0/interleaved.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/simd/interleaved_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

struct InterleavedQ5_0Traits : UnsignedInterleavedLevels {
    using GroupBlock = GroupBlockQ5_0;
    using Activation = BlockQ8_0;
    static constexpr bool kHasMin = false;
    static constexpr int kOffset = -16;
    static void unpack(const GroupBlock& w, __m256i (&levels)[8]) noexcept {
        unpack_interleaved_nibbles(w.qs, levels);
        const __m256i fifth_bit = _mm256_set1_epi8(0x10);
        for (int i = 0; i < 8; ++i) {
            levels[i] = _mm256_or_si256(levels[i], _mm256_and_si256(bits_to_byte_mask(w.high_bits + 4 * i), fifth_bit));
        }
    }
    static __m256 scales(const GroupBlock& w) noexcept { return load_eight_fp16(w.d); }
};

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
