// The 32-element formats (Q4_0, Q4_1, Q5_0, Q8_0) on AMX tiles (kernels/simd/amx_gemm.h), from
// the traits of their interleaved layout (quant/<type>/interleaved_x86.h). Per block: one tile
// product of the signed levels (the traits' unsigned levels plus their offset, so the same
// integer Σ level·a + offset·Σa as the VNNI kernel) with the activation bytes, then, as the
// VNNI kernel does per output, acc = fma(d_w · d_a, float(sum), acc) and, for formats with a
// minimum, acc = fma(m_w, s_a, acc).
#pragma once

#include <cstddef>

#include "kernels/simd/amx_gemm.h"
#include "kernels/simd/interleaved_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

template <class Traits>
struct AmxSmallBlockKernel {
    using GroupBlock = typename Traits::GroupBlock;
    using Activation = typename Traits::Activation;
    static constexpr int kBlockSize = 32;

    // Tile layout of a block of 16 rows: levels[i][4n + k] = row n's signed level of element
    // 4i + k (i < 8); the rows' scales (and minimums) as floats.
    struct alignas(64) PackedBlock {
        std::int8_t levels[kBlockSize / 4][kAmxRows * 4];
        float scales[kAmxRows];
        float mins[Traits::kHasMin ? kAmxRows : 1];
    };

    // 16 tokens' block scales (and sums), as floats.
    struct alignas(64) TokenBlock {
        float scales[kAmxTokens];
        float sums[Traits::kHasMin ? kAmxTokens : 1];
    };

    // Tiles 0-3: results; 4-5: activations (16 tokens × 32 bytes); 6-7: weights (8 × 64 bytes).
    static AmxTileConfig config() noexcept {
        AmxTileConfig config;
        for (const int c : {0, 1, 2, 3}) config.set(c, kAmxTokens, kAmxRows * 4);
        for (const int t : {4, 5}) config.set(t, kAmxTokens, kBlockSize);
        for (const int t : {6, 7}) config.set(t, kBlockSize / 4, kAmxRows * 4);
        return config;
    }

    static __m512 both_groups(__m256 first, __m256 second) noexcept {
        return _mm512_insertf32x8(_mm512_zextps256_ps512(first), second, 1);
    }

    // Register i of a group's levels holds elements 4i..4i+3 of its eight rows: tile row i, the
    // first group in the low half.
    static void unpack(const std::uint8_t* group0, const std::uint8_t* group1, std::int64_t n_blocks,
                       PackedBlock* out) noexcept {
        const auto* g0 = reinterpret_cast<const GroupBlock*>(group0);
        const auto* g1 = reinterpret_cast<const GroupBlock*>(group1);
        const __m256i offset = _mm256_set1_epi8(static_cast<char>(Traits::kOffset));
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            __m256i first[8];
            __m256i second[8];
            Traits::unpack(g0[b], first);
            Traits::unpack(g1[b], second);
            for (int i = 0; i < 8; ++i) {
                _mm256_store_si256(reinterpret_cast<__m256i*>(out[b].levels[i]), _mm256_add_epi8(first[i], offset));
                _mm256_store_si256(reinterpret_cast<__m256i*>(out[b].levels[i] + 32), _mm256_add_epi8(second[i], offset));
            }
            _mm512_store_ps(out[b].scales, both_groups(Traits::scales(g0[b]), Traits::scales(g1[b])));
            if constexpr (Traits::kHasMin) _mm512_store_ps(out[b].mins, both_groups(Traits::mins(g0[b]), Traits::mins(g1[b])));
        }
    }

    static void token_data(const std::uint8_t* a, std::size_t a_row_bytes, std::int64_t n_blocks,
                           TokenBlock* out) noexcept {
        for (int t = 0; t < kAmxTokens; ++t) {
            const auto* blocks = reinterpret_cast<const Activation*>(a + static_cast<std::size_t>(t) * a_row_bytes);
            for (std::int64_t b = 0; b < n_blocks; ++b) {
                out[b].scales[t] = fp16_to_float(blocks[b].d);
                if constexpr (Traits::kHasMin) out[b].sums[t] = Traits::activation_sum(blocks[b]);
            }
        }
    }

    static void add_scaled(__m512 (&acc)[kAmxTokens], const AmxIntTile& sums, const PackedBlock& w,
                           const TokenBlock& tokens) noexcept {
        const __m512 w_scales = _mm512_load_ps(w.scales);
        for (int t = 0; t < kAmxTokens; ++t) {
            acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(w_scales, _mm512_set1_ps(tokens.scales[t])),
                                     _mm512_cvtepi32_ps(sums.token(t)), acc[t]);
            if constexpr (Traits::kHasMin) {
                acc[t] = _mm512_fmadd_ps(_mm512_load_ps(w.mins), _mm512_set1_ps(tokens.sums[t]), acc[t]);
            }
        }
    }

    static void tile(const PackedBlock* w, const std::uint8_t* a, std::size_t a_row_bytes, const TokenBlock* tokens,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        const auto stride = static_cast<long>(a_row_bytes);
        const auto qs_of = [&](std::int64_t b) {
            return a + static_cast<std::size_t>(b) * sizeof(Activation) + offsetof(Activation, qs);
        };
        __m512 acc[kAmxTokens];
        for (auto& value : acc) value = _mm512_setzero_ps();
        AmxIntTile sums[4];
        std::int64_t b = 0;
        // Four blocks per step in separate tiles, so products overlap the scaling.
        for (; b + 4 <= n_blocks; b += 4) {
            _tile_loadd(4, qs_of(b), stride);
            _tile_loadd(6, w[b].levels, kAmxRows * 4);
            _tile_zero(0);
            _tile_dpbssd(0, 4, 6);
            _tile_loadd(5, qs_of(b + 1), stride);
            _tile_loadd(7, w[b + 1].levels, kAmxRows * 4);
            _tile_zero(1);
            _tile_dpbssd(1, 5, 7);
            _tile_loadd(4, qs_of(b + 2), stride);
            _tile_loadd(6, w[b + 2].levels, kAmxRows * 4);
            _tile_zero(2);
            _tile_dpbssd(2, 4, 6);
            _tile_loadd(5, qs_of(b + 3), stride);
            _tile_loadd(7, w[b + 3].levels, kAmxRows * 4);
            _tile_zero(3);
            _tile_dpbssd(3, 5, 7);
            _tile_stored(0, sums[0].values, kAmxRows * 4);
            _tile_stored(1, sums[1].values, kAmxRows * 4);
            _tile_stored(2, sums[2].values, kAmxRows * 4);
            _tile_stored(3, sums[3].values, kAmxRows * 4);
            for (int i = 0; i < 4; ++i) add_scaled(acc, sums[i], w[b + i], tokens[b + i]);
        }
        for (; b + 2 <= n_blocks; b += 2) {
            _tile_loadd(4, qs_of(b), stride);
            _tile_loadd(6, w[b].levels, kAmxRows * 4);
            _tile_zero(0);
            _tile_dpbssd(0, 4, 6);
            _tile_loadd(5, qs_of(b + 1), stride);
            _tile_loadd(7, w[b + 1].levels, kAmxRows * 4);
            _tile_zero(1);
            _tile_dpbssd(1, 5, 7);
            _tile_stored(0, sums[0].values, kAmxRows * 4);
            _tile_stored(1, sums[1].values, kAmxRows * 4);
            add_scaled(acc, sums[0], w[b], tokens[b]);
            add_scaled(acc, sums[1], w[b + 1], tokens[b + 1]);
        }
        if (b < n_blocks) {
            _tile_loadd(4, qs_of(b), stride);
            _tile_loadd(6, w[b].levels, kAmxRows * 4);
            _tile_zero(0);
            _tile_dpbssd(0, 4, 6);
            _tile_stored(0, sums[0].values, kAmxRows * 4);
            add_scaled(acc, sums[0], w[b], tokens[b]);
        }
        for (int t = 0; t < kAmxTokens; ++t) _mm512_storeu_ps(y + t * y_stride, acc[t]);
    }
};

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
