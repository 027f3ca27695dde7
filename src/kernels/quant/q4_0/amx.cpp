// Q4_0 · Q8_0 on AMX tiles (kernels/simd/amx_gemm.h). Per 32-element block: one signed tile
// product of the levels (nibble − 8) with the activation bytes, then, as the VNNI kernel does
// per output, acc = fma(d_w · d_a, float(Σ level·a), acc).
#include "kernels/quant/q4_0/block.h"
#include "kernels/quant/q4_0/interleaved.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/simd/amx_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

struct AmxQ4_0Kernel {
    static constexpr int kBlockSize = BlockQ4_0::kBlockSize;

    // Tile layout of a block of 16 rows: levels[i][4n + k] = row n's element 4i + k (i < 8),
    // and the rows' scales as floats.
    struct alignas(64) PackedBlock {
        std::int8_t levels[kBlockSize / 4][kAmxRows * 4];
        float scales[kAmxRows];
    };

    // Tiles 0-1: results; 2-3: activations (16 tokens × 32 bytes); 4-5: weights (8 × 64 bytes).
    static AmxTileConfig config() noexcept {
        AmxTileConfig config;
        for (const int c : {0, 1}) config.set(c, kAmxTokens, kAmxRows * 4);
        for (const int t : {2, 3}) config.set(t, kAmxTokens, kBlockSize);
        for (const int t : {4, 5}) config.set(t, kBlockSize / 4, kAmxRows * 4);
        return config;
    }

    // A group block's 32 bytes at 32j hold, per row, elements 4j..4j+3 in the low nibbles and
    // 16+4j..19+4j in the high ones (q4_0/interleaved.h): rows j and j + 4 of the tile, the
    // first group's eight rows in the low half of each.
    static void unpack(const std::uint8_t* group0, const std::uint8_t* group1, std::int64_t n_blocks,
                       PackedBlock* out) noexcept {
        const auto* g0 = reinterpret_cast<const GroupBlockQ4_0*>(group0);
        const auto* g1 = reinterpret_cast<const GroupBlockQ4_0*>(group1);
        const __m512i low_nibble = _mm512_set1_epi8(0x0f);
        const __m512i eight = _mm512_set1_epi8(8);
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            for (int j = 0; j < 4; ++j) {
                const __m512i packed = _mm512_inserti64x4(_mm512_zextsi256_si512(load_256(g0[b].qs + 32 * j)),
                                                          load_256(g1[b].qs + 32 * j), 1);
                const __m512i low = _mm512_sub_epi8(_mm512_and_si512(packed, low_nibble), eight);
                const __m512i high = _mm512_sub_epi8(_mm512_and_si512(_mm512_srli_epi16(packed, 4), low_nibble), eight);
                _mm512_store_si512(out[b].levels[j], low);
                _mm512_store_si512(out[b].levels[j + 4], high);
            }
            const __m512 scales = _mm512_insertf32x8(
                _mm512_zextps256_ps512(_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g0[b].d)))),
                _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g1[b].d))), 1);
            _mm512_store_ps(out[b].scales, scales);
        }
    }

    // The 16 tokens' scales of a block, as floats.
    struct TokenBlock {
        float scales[kAmxTokens];
    };
    static void token_data(const std::uint8_t* a, std::size_t a_row_bytes, std::int64_t n_blocks,
                           TokenBlock* out) noexcept {
        for (int t = 0; t < kAmxTokens; ++t) {
            const auto* blocks = reinterpret_cast<const BlockQ8_0*>(a + static_cast<std::size_t>(t) * a_row_bytes);
            for (std::int64_t b = 0; b < n_blocks; ++b) out[b].scales[t] = fp16_to_float(blocks[b].d);
        }
    }

    static void add_scaled(__m512 (&acc)[kAmxTokens], const AmxIntTile& sums, const PackedBlock& w,
                           const TokenBlock& tokens) noexcept {
        const __m512 w_scales = _mm512_load_ps(w.scales);
        for (int t = 0; t < kAmxTokens; ++t) {
            acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(w_scales, _mm512_set1_ps(tokens.scales[t])),
                                     _mm512_cvtepi32_ps(sums.token(t)), acc[t]);
        }
    }

    static void tile(const PackedBlock* w, const std::uint8_t* a, std::size_t a_row_bytes, const TokenBlock* tokens,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        const auto stride = static_cast<long>(a_row_bytes);
        const auto qs_of = [&](std::int64_t b) {
            return a + static_cast<std::size_t>(b) * sizeof(BlockQ8_0) + offsetof(BlockQ8_0, qs);
        };
        __m512 acc[kAmxTokens];
        for (auto& value : acc) value = _mm512_setzero_ps();
        AmxIntTile sums[2];
        std::int64_t b = 0;
        // Two blocks per step in separate tiles, so one block's products overlap the other's scaling.
        for (; b + 2 <= n_blocks; b += 2) {
            _tile_loadd(2, qs_of(b), stride);
            _tile_loadd(4, w[b].levels, kAmxRows * 4);
            _tile_zero(0);
            _tile_dpbssd(0, 2, 4);
            _tile_loadd(3, qs_of(b + 1), stride);
            _tile_loadd(5, w[b + 1].levels, kAmxRows * 4);
            _tile_zero(1);
            _tile_dpbssd(1, 3, 5);
            _tile_stored(0, sums[0].values, kAmxRows * 4);
            _tile_stored(1, sums[1].values, kAmxRows * 4);
            add_scaled(acc, sums[0], w[b], tokens[b]);
            add_scaled(acc, sums[1], w[b + 1], tokens[b + 1]);
        }
        if (b < n_blocks) {
            _tile_loadd(2, qs_of(b), stride);
            _tile_loadd(4, w[b].levels, kAmxRows * 4);
            _tile_zero(0);
            _tile_dpbssd(0, 2, 4);
            _tile_stored(0, sums[0].values, kAmxRows * 4);
            add_scaled(acc, sums[0], w[b], tokens[b]);
        }
        for (int t = 0; t < kAmxTokens; ++t) _mm512_storeu_ps(y + t * y_stride, acc[t]);
    }
};

}  // namespace

void gemm_interleaved_q4_0(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    amx_gemm<AmxQ4_0Kernel>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride,
                            avx512::gemm_interleaved_q4_0);
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
