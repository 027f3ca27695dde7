// Q4_K · Q8_K with x86 SIMD, built once per level (kernels/simd/tiled_gemm.h). Per super-block:
// d · Σ_sub scale · Σ level·a  −  dmin · Σ_sub min · Σ a, the activation sums coming from
// Q8_K's 16-element bsums. Every output: acc = fma(d·d_a, float(Σ scaled dots), acc), then
// acc −= dmin·d_a·(Σ min·Σa) in lane 0, one fixed horizontal sum — whatever the tile.
#include "kernels/quant/q4_k/block.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/simd/tiled_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

struct Q4_KKernel {
    static constexpr int kBlockSize = BlockQ4_K::kBlockSize;

    template <int R, int T>
    static void tile(const std::uint8_t* w, std::size_t w_row_bytes, const std::uint8_t* a, std::size_t a_row_bytes,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        const __m256i low_nibble = _mm256_set1_epi8(0x0f);
        __m256 acc[R][T];
        zero_accumulators(acc);
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            const BlockQ4_K* wb[R];
            ScaleAndMin scales[R][8];
            for (int r = 0; r < R; ++r) {
                wb[r] = reinterpret_cast<const BlockQ4_K*>(w + static_cast<std::size_t>(r) * w_row_bytes) + b;
                for (int sub = 0; sub < 8; ++sub) scales[r][sub] = unpack_k4_scale_and_min(wb[r]->scales, sub);
            }
            const BlockQ8_K* ab[T];
            for (int t = 0; t < T; ++t) ab[t] = reinterpret_cast<const BlockQ8_K*>(a + static_cast<std::size_t>(t) * a_row_bytes) + b;
            __m256i sums[R][T];
            for (auto& row : sums) {
                for (auto& value : row) value = _mm256_setzero_si256();
            }
            for (int chunk = 0; chunk < 4; ++chunk) {
                __m256i low[R];
                __m256i high[R];
                __m256i low_scales[R];
                __m256i high_scales[R];
                for (int r = 0; r < R; ++r) {
                    const __m256i packed = load_256(wb[r]->qs + 32 * chunk);
                    low[r] = _mm256_and_si256(packed, low_nibble);
                    high[r] = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low_nibble);
                    const int s0 = scales[r][2 * chunk].scale;
                    const int s1 = scales[r][2 * chunk + 1].scale;
                    low_scales[r] = sub_block_scales(s0, s0);
                    high_scales[r] = sub_block_scales(s1, s1);
                }
                for (int t = 0; t < T; ++t) {
                    const __m256i a_low = load_256(ab[t]->qs + 64 * chunk);
                    const __m256i a_high = load_256(ab[t]->qs + 64 * chunk + 32);
                    for (int r = 0; r < R; ++r) {
                        sums[r][t] = add_scaled_dot_u8s8(sums[r][t], low[r], a_low, low_scales[r]);
                        sums[r][t] = add_scaled_dot_u8s8(sums[r][t], high[r], a_high, high_scales[r]);
                    }
                }
            }
            for (int r = 0; r < R; ++r) {
                const float d = fp16_to_float(wb[r]->d);
                const float dmin = fp16_to_float(wb[r]->dmin);
                for (int t = 0; t < T; ++t) {
                    int min_sum = 0;
                    for (int sub = 0; sub < 8; ++sub) {
                        min_sum += scales[r][sub].min * (ab[t]->bsums[2 * sub] + ab[t]->bsums[2 * sub + 1]);
                    }
                    acc[r][t] = _mm256_fmadd_ps(_mm256_set1_ps(d * ab[t]->d), _mm256_cvtepi32_ps(sums[r][t]), acc[r][t]);
                    acc[r][t] = _mm256_sub_ps(
                        acc[r][t], _mm256_zextps128_ps256(_mm_set_ss(dmin * ab[t]->d * static_cast<float>(min_sum))));
                }
            }
        }
        store_sums(acc, y, y_stride);
    }
};

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q4_k, Q4_KKernel, kSuperTileRows, kSuperTileTokens)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
