// Q5_0 · Q8_0 with x86 SIMD, built once per level (kernels/simd/small_block_gemm.h): the 5-bit
// values (0..31) are the unsigned operand, and −16 · Σa restores the levels' offset.
#include "kernels/quant/q5_0/block.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/q5_0/interleaved.h"
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

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q5_0, SmallBlockKernel<Q5_0Traits>, kTileRows, kTileTokens)

INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(q5_0, SmallBlockInterleavedKernel<InterleavedQ5_0Traits>,
                                      1, kInterleavedTileTokens, kInterleavedSingleTokenGroups)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
