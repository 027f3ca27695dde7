// The tiling driver of the x86 products (small_block_gemm.h, the K-quants' x86.cpp): it walks
// R×T tiles of weight rows and tokens, then the edges. Built once per level (x86_common.h).
#pragma once

#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

// Tile sizes: AVX-512VL has 32 vector registers for 16 accumulators; AVX2 has 16.
#if defined(__AVX512VL__)
inline constexpr int kTileRows = 4;
inline constexpr int kTileTokens = 4;
inline constexpr int kSuperTileRows = 2;  // the K-quants keep integer and float sums per output
inline constexpr int kSuperTileTokens = 4;
#else
inline constexpr int kTileRows = 2;
inline constexpr int kTileTokens = 2;
inline constexpr int kSuperTileRows = 1;
inline constexpr int kSuperTileTokens = 4;
#endif

// A tile's float accumulators (zeroed with zero_accumulators, x86_common.h), summed across
// lanes into y at the end.
template <int R, int T>
inline void store_sums(const __m256 (&acc)[R][T], float* y, std::int64_t y_stride) noexcept {
    for (int r = 0; r < R; ++r) {
        for (int t = 0; t < T; ++t) y[t * y_stride + r] = horizontal_sum(acc[r][t]);
    }
}

// y[t · y_stride + r] = row r of w · row t of a, for r < n_rows, t < n_tokens. Kernel has
// kBlockSize and template <int R, int T> tile(w, w_row_bytes, a, a_row_bytes, n_blocks, y,
// y_stride); full R×T tiles first, then the edges with R×1, 1×T and 1×1 tiles.
template <class Kernel, int R, int T>
void tiled_gemm(const void* weights, std::size_t w_row_bytes, std::int64_t n_rows, const void* activations,
                std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                std::int64_t y_stride) noexcept {
    const auto* w = static_cast<const std::uint8_t*>(weights);
    const auto* a = static_cast<const std::uint8_t*>(activations);
    const std::int64_t n_blocks = n_cols / Kernel::kBlockSize;
    const auto a_at = [&](std::int64_t t) { return a + static_cast<std::size_t>(t) * a_row_bytes; };
    std::int64_t r = 0;
    for (; r + R <= n_rows; r += R) {
        const std::uint8_t* w_tile = w + static_cast<std::size_t>(r) * w_row_bytes;
        std::int64_t t = 0;
        for (; t + T <= n_tokens; t += T) {
            Kernel::template tile<R, T>(w_tile, w_row_bytes, a_at(t), a_row_bytes, n_blocks, y + t * y_stride + r, y_stride);
        }
        for (; t < n_tokens; ++t) {
            Kernel::template tile<R, 1>(w_tile, w_row_bytes, a_at(t), a_row_bytes, n_blocks, y + t * y_stride + r, y_stride);
        }
    }
    for (; r < n_rows; ++r) {
        const std::uint8_t* w_row = w + static_cast<std::size_t>(r) * w_row_bytes;
        std::int64_t t = 0;
        for (; t + T <= n_tokens; t += T) {
            Kernel::template tile<1, T>(w_row, w_row_bytes, a_at(t), a_row_bytes, n_blocks, y + t * y_stride + r, y_stride);
        }
        for (; t < n_tokens; ++t) {
            Kernel::template tile<1, 1>(w_row, w_row_bytes, a_at(t), a_row_bytes, n_blocks, y + t * y_stride + r, y_stride);
        }
    }
}

// One row · one activation row with the 1×1 tile, so dot() and the tiled product agree bit
// for bit.
template <class Kernel>
float tiled_dot(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    float result = 0.0f;
    Kernel::template tile<1, 1>(static_cast<const std::uint8_t*>(weight_row), 0,
                                static_cast<const std::uint8_t*>(activation_row), 0, n / Kernel::kBlockSize, &result, 1);
    return result;
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
