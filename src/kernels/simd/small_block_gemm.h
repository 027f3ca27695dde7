// Tiled products of weight rows in a 32-element block format (Q4_0, Q4_1, Q5_0, Q8_0) with
// 8-bit activation rows: R weight rows × T tokens at a time, so each unpacked weight block
// and each loaded activation block serves several outputs. Built once per level (see
// x86_common.h).
//
// Every output is computed by the same sequence of operations whatever the tile, the edge or
// the batch: per block b, acc = fma(d_w·d_a, float(Σ levels·a + offset·Σa), acc) (plus the
// block's min term for Q4_1, in lane 0), then one fixed horizontal sum. So a token's result
// does not depend on which other tokens or rows share its tile — batching cannot change it.
#pragma once

#include "kernels/simd/tiled_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

// A weight format's side of the product. Traits provide:
//   Weight, Activation                      the block structs
//   static __m256i levels(const Weight&)    32 unsigned bytes (the level plus any offset)
//   static constexpr int kOffset            levels are (byte + kOffset): Σ(byte·a) + kOffset·Σa
//   static float scale(const Weight&)       d_w
//   static constexpr bool kHasMin           Q4_1: add min(w) · sum(a) per block
//   static float min(const Weight&), static float activation_sum(const Activation&)   (kHasMin only)
//   static __m256i product(__m256i acc, __m256i levels, __m256i a)   acc + Σ levels·a per lane
//                                           (UnsignedLevels supplies the usual u8·s8 one)

// Σa in int32 lanes, each lane the sum of 4 consecutive activation bytes, times `factor`.
inline __m256i scaled_lane_sums(__m256i a, int factor) noexcept {
    const __m256i sums = add_dot_u8s8(_mm256_setzero_si256(), _mm256_set1_epi8(1), a);
    return _mm256_mullo_epi32(sums, _mm256_set1_epi32(factor));
}

// Levels that are unsigned bytes: the product is u8·s8 (dpbusd, or maddubs on AVX2).
struct UnsignedLevels {
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_u8s8(acc, levels, a); }
};

template <class Traits, int R, int T>
inline void gemm_tile(const std::uint8_t* w, std::size_t w_row_bytes, const std::uint8_t* a,
                      std::size_t a_row_bytes, std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
    using Weight = typename Traits::Weight;
    using Activation = typename Traits::Activation;
    __m256 acc[R][T];
    zero_accumulators(acc);
    for (std::int64_t b = 0; b < n_blocks; ++b) {
        __m256i a_bytes[T];
        __m256i a_offsets[T];
        float a_scale[T];
        float a_sum[T];
        for (int t = 0; t < T; ++t) {
            const auto& block = reinterpret_cast<const Activation*>(a + static_cast<std::size_t>(t) * a_row_bytes)[b];
            a_bytes[t] = load_256(block.qs);
            a_offsets[t] = Traits::kOffset == 0 ? _mm256_setzero_si256() : scaled_lane_sums(a_bytes[t], Traits::kOffset);
            a_scale[t] = fp16_to_float(block.d);
            a_sum[t] = 0.0f;
            if constexpr (Traits::kHasMin) a_sum[t] = Traits::activation_sum(block);
        }
        for (int r = 0; r < R; ++r) {
            const auto& block = reinterpret_cast<const Weight*>(w + static_cast<std::size_t>(r) * w_row_bytes)[b];
            const __m256i levels = Traits::levels(block);
            const float w_scale = Traits::scale(block);
            float w_min = 0.0f;
            if constexpr (Traits::kHasMin) w_min = Traits::min(block);
            for (int t = 0; t < T; ++t) {
                const __m256i dots = Traits::product(a_offsets[t], levels, a_bytes[t]);
                acc[r][t] = _mm256_fmadd_ps(_mm256_set1_ps(w_scale * a_scale[t]), _mm256_cvtepi32_ps(dots), acc[r][t]);
                if constexpr (Traits::kHasMin) {
                    acc[r][t] = _mm256_add_ps(acc[r][t], _mm256_zextps128_ps256(_mm_set_ss(w_min * a_sum[t])));
                }
            }
        }
    }
    store_sums(acc, y, y_stride);
}

// The 32-element block formats as a tiled kernel.
template <class Traits>
struct SmallBlockKernel {
    static constexpr int kBlockSize = 32;
    template <int R, int T>
    static void tile(const std::uint8_t* w, std::size_t w_row_bytes, const std::uint8_t* a, std::size_t a_row_bytes,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        gemm_tile<Traits, R, T>(w, w_row_bytes, a, a_row_bytes, n_blocks, y, y_stride);
    }
};

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
