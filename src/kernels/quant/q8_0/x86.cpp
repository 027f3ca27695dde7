// Q8_0 · Q8_0 with x86 SIMD, built once per level (kernels/simd/small_block_gemm.h). The same
// sum as ref::dot_q8_0; only the order of the float additions differs. And the activations'
// quantization, the same bytes as ref::quantize_activations_q8_0.
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/q8_0/interleaved.h"
#include "kernels/quant/q8_0/interleaved_x86.h"
#include "kernels/simd/activation_quantize_x86.h"
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

void quantize_activations_q8_0(const float* src, void* dst, std::int64_t n) noexcept {
    auto* blocks = static_cast<BlockQ8_0*>(dst);
    for (std::int64_t block = 0; block < n / BlockQ8_0::kBlockSize; ++block) {
        const float* x = src + block * BlockQ8_0::kBlockSize;
        const float max_abs = max_absolute_value(x, BlockQ8_0::kBlockSize);
        const float inverse_d = max_abs != 0.0f ? 127.0f / max_abs : 0.0f;
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(blocks[block].qs), round_to_int8(x, _mm256_set1_ps(inverse_d)));
        blocks[block].d = static_cast<std::uint16_t>(_cvtss_sh(max_abs / 127.0f, _MM_FROUND_TO_NEAREST_INT));
    }
}

INHOUSE_DEFINE_X86_KERNELS(q8_0, SmallBlockKernel<Q8_0Traits>, kTileRows, kTileTokens)

INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(q8_0, SmallBlockInterleavedKernel<InterleavedQ8_0Traits>,
                                      kInterleavedOffsetTileGroups, kInterleavedOffsetTileTokens, kInterleavedSingleTokenGroups)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
