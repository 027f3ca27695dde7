// Q4_K · Q8_K on AMX tiles (kernels/simd/amx_gemm.h).
//
// The VNNI kernel's integer sum per super-block is Σ_s scale_s · Σ level·a over the eight
// 32-element sub-blocks, a 6-bit scale per row and sub-block. Splitting each scale into its
// low and high three bits, scale = lo + 8·hi, makes level·lo and level·hi (≤ 15·7) fit a
// byte, so two tile products over the whole super-block give the same integer as
// Σ(level·lo)·a + 8·Σ(level·hi)·a, with no per-sub-block pass through vector registers. The
// min term (Σ_s min_s · Σa over the sub-block) and the float steps are the VNNI kernel's:
// acc = fma(d·d_a, float(sum), acc), then acc = fnmadd(dmin·d_a, float(min term), acc).
#include "kernels/quant/q4_k/block.h"
#include "kernels/quant/q4_k/interleaved.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/simd/amx_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

constexpr int kTileK = 64;                                  // elements per tile product
constexpr int kTilesPerBlock = BlockQ4_K::kBlockSize / kTileK;  // 4
constexpr int kTileBytes = kAmxRows * 4;                    // a weight tile's row: 16 rows × 4

struct AmxQ4_KKernel {
    static constexpr int kBlockSize = BlockQ4_K::kBlockSize;

    // A super-block of 16 rows in tile layout: low[c][i][4n + k] = row n's element 64c + 4i + k
    // times the low three bits of its sub-block's scale, high[…] times the high three bits;
    // the mins as int16 pairs per row (mins[p][2n + h]: sub-block 2p + h of row n); d and dmin.
    struct alignas(64) PackedBlock {
        std::int8_t low[kTilesPerBlock][kTileK / 4][kTileBytes];
        std::int8_t high[kTilesPerBlock][kTileK / 4][kTileBytes];
        std::int16_t mins[kK4SubBlocks / 2][2 * kAmxRows];
        float d[kAmxRows];
        float dmin[kAmxRows];
    };

    // 16 tokens' scale and sub-block sums, the sums as int16 pairs in 32 bits (sub-blocks 2p, 2p+1).
    struct TokenBlock {
        float d[kAmxTokens];
        std::int32_t sum_pairs[kK4SubBlocks / 2][kAmxTokens];
    };

    // Results 0-1 and 2-3 (low, high) for alternate super-blocks; activations 4 and 7;
    // weights 5 (low) and 6 (high).
    static AmxTileConfig config() noexcept {
        AmxTileConfig config;
        for (const int c : {0, 1, 2, 3}) config.set(c, kAmxTokens, kAmxRows * 4);
        for (const int t : {4, 7}) config.set(t, kAmxTokens, kTileK);
        for (const int t : {5, 6}) config.set(t, kTileK / 4, kTileBytes);
        return config;
    }

    static void unpack(const std::uint8_t* group0, const std::uint8_t* group1, std::int64_t n_blocks,
                       PackedBlock* out) noexcept {
        const GroupBlockQ4_K* groups[2] = {reinterpret_cast<const GroupBlockQ4_K*>(group0),
                                           reinterpret_cast<const GroupBlockQ4_K*>(group1)};
        const __m512i low_nibble = _mm512_set1_epi8(0x0f);
        // Word l of a half row (32 bytes: eight rows × four) belongs to row l / 4.
        const __m512i row_of_word = _mm512_set_epi16(7, 7, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 2, 2,
                                                     2, 2, 1, 1, 1, 1, 0, 0, 0, 0);
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            PackedBlock& block = out[b];
            for (int h = 0; h < 2; ++h) {
                const GroupBlockQ4_K& gb = groups[h][b];
                for (int s = 0; s < kK4SubBlocks; ++s) {
                    const __m512i scales = _mm512_permutexvar_epi16(
                        row_of_word,
                        _mm512_zextsi256_si512(_mm256_cvtepu8_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(gb.scales[s])))));
                    const __m512i scale_low = _mm512_and_si512(scales, _mm512_set1_epi16(7));
                    const __m512i scale_high = _mm512_srli_epi16(scales, 3);
                    const int c = s / 2;
                    const int shift = 4 * (s % 2);
                    for (int j = 0; j < 8; ++j) {
                        // Sub-block 2c fills tile rows 0-7 (low nibbles), 2c + 1 rows 8-15.
                        const __m256i packed = load_256(gb.qs[c][j]);
                        const __m512i levels = _mm512_cvtepu8_epi16(_mm256_and_si256(
                            _mm256_srli_epi16(packed, shift), _mm512_castsi512_si256(low_nibble)));
                        const int row = 8 * (s % 2) + j;
                        _mm256_store_si256(reinterpret_cast<__m256i*>(block.low[c][row] + 32 * h),
                                           _mm512_cvtepi16_epi8(_mm512_mullo_epi16(levels, scale_low)));
                        _mm256_store_si256(reinterpret_cast<__m256i*>(block.high[c][row] + 32 * h),
                                           _mm512_cvtepi16_epi8(_mm512_mullo_epi16(levels, scale_high)));
                    }
                }
                for (int p = 0; p < kK4SubBlocks / 2; ++p) {
                    _mm256_store_si256(reinterpret_cast<__m256i*>(block.mins[p] + 16 * h),
                                       _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(gb.mins[p]))));
                }
                _mm256_store_ps(block.d + 8 * h, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(gb.d))));
                _mm256_store_ps(block.dmin + 8 * h,
                                _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(gb.dmin))));
            }
        }
    }

    static void token_data(const std::uint8_t* a, std::size_t a_row_bytes, std::int64_t n_blocks,
                           TokenBlock* out) noexcept {
        for (int t = 0; t < kAmxTokens; ++t) {
            const auto* blocks = reinterpret_cast<const BlockQ8_K*>(a + static_cast<std::size_t>(t) * a_row_bytes);
            for (std::int64_t b = 0; b < n_blocks; ++b) {
                out[b].d[t] = blocks[b].d;
                // Sub-block sums as the VNNI kernel forms them: int16 pair sums of the 16-element bsums.
                const __m128i sums = _mm_hadd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[b].bsums)),
                                                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[b].bsums + 8)));
                alignas(16) std::int32_t pairs[4];
                _mm_store_si128(reinterpret_cast<__m128i*>(pairs), sums);
                for (int p = 0; p < kK4SubBlocks / 2; ++p) out[b].sum_pairs[p][t] = pairs[p];
            }
        }
    }

    static void add_scaled(__m512 (&acc)[kAmxTokens], const AmxIntTile& low, const AmxIntTile& high,
                           const PackedBlock& w, const TokenBlock& tokens) noexcept {
        const __m512 d = _mm512_load_ps(w.d);
        const __m512 dmin = _mm512_load_ps(w.dmin);
        __m512i mins[kK4SubBlocks / 2];
        for (int p = 0; p < kK4SubBlocks / 2; ++p) mins[p] = _mm512_load_si512(w.mins[p]);
        for (int t = 0; t < kAmxTokens; ++t) {
            const __m512i sum = _mm512_add_epi32(low.token(t), _mm512_slli_epi32(high.token(t), 3));
            __m512i min_term = _mm512_setzero_si512();
            for (int p = 0; p < kK4SubBlocks / 2; ++p) {
                min_term = _mm512_dpwssd_epi32(min_term, mins[p], _mm512_set1_epi32(tokens.sum_pairs[p][t]));
            }
            const __m512 a_scale = _mm512_set1_ps(tokens.d[t]);
            acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(d, a_scale), _mm512_cvtepi32_ps(sum), acc[t]);
            acc[t] = _mm512_fnmadd_ps(_mm512_mul_ps(dmin, a_scale), _mm512_cvtepi32_ps(min_term), acc[t]);
        }
    }

    static void tile(const PackedBlock* w, const std::uint8_t* a, std::size_t a_row_bytes, const TokenBlock* tokens,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        const auto stride = static_cast<long>(a_row_bytes);
        const auto qs_of = [&](std::int64_t b, int c) {
            return a + static_cast<std::size_t>(b) * sizeof(BlockQ8_K) + offsetof(BlockQ8_K, qs) + kTileK * c;
        };
        __m512 acc[kAmxTokens];
        for (auto& value : acc) value = _mm512_setzero_ps();
        AmxIntTile low;
        AmxIntTile high;
        // Super-blocks alternate between result tiles 0-1 and 2-3, so one's products overlap the
        // other's scaling.
        std::int64_t b = 0;
        for (; b + 2 <= n_blocks; b += 2) {
            _tile_zero(0);
            _tile_zero(1);
            for (int c = 0; c < kTilesPerBlock; ++c) {
                _tile_loadd(4, qs_of(b, c), stride);
                _tile_loadd(5, w[b].low[c], kTileBytes);
                _tile_loadd(6, w[b].high[c], kTileBytes);
                _tile_dpbssd(0, 4, 5);
                _tile_dpbssd(1, 4, 6);
            }
            _tile_zero(2);
            _tile_zero(3);
            for (int c = 0; c < kTilesPerBlock; ++c) {
                _tile_loadd(7, qs_of(b + 1, c), stride);
                _tile_loadd(5, w[b + 1].low[c], kTileBytes);
                _tile_loadd(6, w[b + 1].high[c], kTileBytes);
                _tile_dpbssd(2, 7, 5);
                _tile_dpbssd(3, 7, 6);
            }
            _tile_stored(0, low.values, kAmxRows * 4);
            _tile_stored(1, high.values, kAmxRows * 4);
            add_scaled(acc, low, high, w[b], tokens[b]);
            _tile_stored(2, low.values, kAmxRows * 4);
            _tile_stored(3, high.values, kAmxRows * 4);
            add_scaled(acc, low, high, w[b + 1], tokens[b + 1]);
        }
        if (b < n_blocks) {
            _tile_zero(0);
            _tile_zero(1);
            for (int c = 0; c < kTilesPerBlock; ++c) {
                _tile_loadd(4, qs_of(b, c), stride);
                _tile_loadd(5, w[b].low[c], kTileBytes);
                _tile_loadd(6, w[b].high[c], kTileBytes);
                _tile_dpbssd(0, 4, 5);
                _tile_dpbssd(1, 4, 6);
            }
            _tile_stored(0, low.values, kAmxRows * 4);
            _tile_stored(1, high.values, kAmxRows * 4);
            add_scaled(acc, low, high, w[b], tokens[b]);
        }
        for (int t = 0; t < kAmxTokens; ++t) _mm512_storeu_ps(y + t * y_stride, acc[t]);
    }
};

}  // namespace

void gemm_interleaved_q4_k(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    amx_gemm<AmxQ4_KKernel>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride,
                            avx512::gemm_interleaved_q4_k);
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
