// Q8_K activation quantization with x86 SIMD, built once per level: the float operations of
// ref::quantize_row_q8_k, eight lanes at a time, so the same bytes
// (ActivationQuantization.EverySimdLevelWritesTheScalarBytes compares the two).
#include "kernels/quant/q8_k/block.h"
#include "kernels/simd/activation_quantize_x86.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

constexpr int kBlockSize = BlockQ8_K::kBlockSize;

// The sums of each four of 32 levels, eight int32 in order: maddubs (unsigned ones × signed
// levels) adds pairs, madd adds those into quads.
inline __m256i quad_sums(__m256i levels) noexcept {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), levels), _mm256_set1_epi16(1));
}

void quantize_block(const float* x, BlockQ8_K& block) noexcept {
    const float max_abs = max_absolute_value(x, kBlockSize);
    // The scalar scan keeps the first element of that magnitude, with its sign.
    float extreme = 0.0f;
    if (max_abs != 0.0f) {
        const __m256 max = _mm256_set1_ps(max_abs);
        for (int i = 0; i < kBlockSize; i += 8) {
            const int mask = _mm256_movemask_ps(_mm256_cmp_ps(absolute_values(_mm256_loadu_ps(x + i)), max, _CMP_EQ_OQ));
            if (mask != 0) {
                extreme = x[i + __builtin_ctz(static_cast<unsigned>(mask))];
                break;
            }
        }
    }
    if (extreme == 0.0f) {
        block = BlockQ8_K{};
        return;
    }
    const float inverse_scale = -127.0f / extreme;
    const __m256 factor = _mm256_set1_ps(inverse_scale);
    __m256i quads[8];
    for (int i = 0; i < 8; ++i) {
        const __m256i levels = round_to_int8(x + 32 * i, factor);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(block.qs + 32 * i), levels);
        quads[i] = quad_sums(levels);
    }
    // Two hadd rounds leave, per 128-bit half, the sums of groups 2i (low half) and 2i + 1
    // (high half) of four vectors; a permute puts the eight groups in order.
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    __m256i groups[2];
    for (int g = 0; g < 2; ++g) {
        const __m256i* q = quads + 4 * g;
        const __m256i sums = _mm256_hadd_epi32(_mm256_hadd_epi32(q[0], q[1]), _mm256_hadd_epi32(q[2], q[3]));
        groups[g] = _mm256_permutevar8x32_epi32(sums, order);
    }
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packs_epi32(groups[0], groups[1]), 0xd8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(block.bsums), packed);
    block.d = 1.0f / inverse_scale;
}

}  // namespace

void quantize_activations_q8_k(const float* src, void* dst, std::int64_t n) noexcept {
    auto* blocks = static_cast<BlockQ8_K*>(dst);
    for (std::int64_t block = 0; block < n / kBlockSize; ++block) quantize_block(src + block * kBlockSize, blocks[block]);
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
