// Q6_K · Q8_K on AMX tiles (kernels/simd/amx_gemm.h).
//
// The VNNI kernel's integer sum per super-block is Σ_g scale_g · Σ (level − 32)·a over the
// sixteen 16-element groups, each with a signed 8-bit scale. Written in base four,
// scale = s0 + 4·s1 + 16·s2 + 64·s3 with s0..s2 in 0..3 and s3 in −2..1, so (level − 32)·s_i
// fits a signed byte, and four tile products over the whole super-block give
// C0 + 4·C1 + 16·C2 + 64·C3, the same integer. Then, as the VNNI kernel does,
// acc = fma(d·d_a, float(sum), acc).
#include "kernels/quant/q6_k/block.h"
#include "kernels/quant/q6_k/interleaved.h"
#include "kernels/quant/q6_k/interleaved_x86.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/simd/amx_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

constexpr int kTileK = 64;                                      // elements per tile product
constexpr int kTilesPerBlock = BlockQ6_K::kBlockSize / kTileK;  // 4
constexpr int kTileBytes = kAmxRows * 4;                        // a weight tile's row: 16 rows × 4
constexpr int kDigits = 4;                                      // base-four digits of a scale

struct AmxQ6_KKernel {
    static constexpr int kBlockSize = BlockQ6_K::kBlockSize;

    // A super-block of 16 rows in tile layout: digit[i][c][k][4n + e] = row n's (level − 32) of
    // element 64c + 4k + e times digit i of its group's scale; the rows' d as floats.
    struct alignas(64) PackedBlock {
        std::int8_t digit[kDigits][kTilesPerBlock][kTileK / 4][kTileBytes];
        float d[kAmxRows];
    };

    struct alignas(64) TokenBlock {
        float d[kAmxTokens];
    };

    // Results 0-3 (one per digit); activations 4; weights 5-7 in turn.
    static AmxTileConfig config() noexcept {
        AmxTileConfig config;
        for (const int c : {0, 1, 2, 3}) config.set(c, kAmxTokens, kAmxRows * 4);
        config.set(4, kAmxTokens, kTileK);
        for (const int t : {5, 6, 7}) config.set(t, kTileK / 4, kTileBytes);
        return config;
    }

    // Scale bytes of group m for the group's eight rows, each repeated over the row's four bytes.
    static __m256i scale_bytes(const GroupBlockQ6_K& gb, int m) noexcept {
        const __m256i pairs = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(gb.scales[m / 2])));
        const int k = m % 2;
        const __m256i pick = _mm256_setr_epi8(k, k, k, k, 2 + k, 2 + k, 2 + k, 2 + k, 4 + k, 4 + k, 4 + k, 4 + k, 6 + k,
                                              6 + k, 6 + k, 6 + k, 8 + k, 8 + k, 8 + k, 8 + k, 10 + k, 10 + k, 10 + k,
                                              10 + k, 12 + k, 12 + k, 12 + k, 12 + k, 14 + k, 14 + k, 14 + k, 14 + k);
        return _mm256_shuffle_epi8(pairs, pick);
    }

    static void unpack(const std::uint8_t* group0, const std::uint8_t* group1, std::int64_t n_blocks,
                       PackedBlock* out) noexcept {
        const GroupBlockQ6_K* groups[2] = {reinterpret_cast<const GroupBlockQ6_K*>(group0),
                                           reinterpret_cast<const GroupBlockQ6_K*>(group1)};
        const __m256i offset = _mm256_set1_epi8(32);
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            PackedBlock& block = out[b];
            for (int h = 0; h < 2; ++h) {
                const GroupBlockQ6_K& gb = groups[h][b];
                for (int sub = 0; sub < 8; ++sub) {  // 32-element sub-block: tile c, rows 8·(sub % 2)…
                    __m256i levels[8];
                    unpack_interleaved_q6_k_levels(gb, sub / 4, sub % 4, levels);
                    const int c = sub / 2;
                    for (int half = 0; half < 2; ++half) {  // its two 16-element groups
                        const __m256i scales = scale_bytes(gb, 2 * sub + half);
                        __mmask32 bit[2 * kDigits];
                        for (int i = 0; i < 2 * kDigits; ++i) {
                            bit[i] = _mm256_test_epi8_mask(scales, _mm256_set1_epi8(static_cast<char>(1 << i)));
                        }
                        for (int j = 4 * half; j < 4 * half + 4; ++j) {
                            const __m256i x = _mm256_sub_epi8(levels[j], offset);
                            const __m256i twice = _mm256_add_epi8(x, x);
                            for (int i = 0; i < kDigits; ++i) {
                                // Digit i is bits 2i (weight 1) and 2i + 1 (weight 2; −2 for the top digit).
                                __m256i product = _mm256_maskz_mov_epi8(bit[2 * i], x);
                                product = i < kDigits - 1 ? _mm256_mask_add_epi8(product, bit[2 * i + 1], product, twice)
                                                          : _mm256_mask_sub_epi8(product, bit[2 * i + 1], product, twice);
                                _mm256_store_si256(reinterpret_cast<__m256i*>(block.digit[i][c][8 * (sub % 2) + j] + 32 * h),
                                                   product);
                            }
                        }
                    }
                }
                _mm256_store_ps(block.d + 8 * h, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(gb.d))));
            }
        }
    }

    static void token_data(const std::uint8_t* a, std::size_t a_row_bytes, std::int64_t n_blocks,
                           TokenBlock* out) noexcept {
        for (int t = 0; t < kAmxTokens; ++t) {
            const auto* blocks = reinterpret_cast<const BlockQ8_K*>(a + static_cast<std::size_t>(t) * a_row_bytes);
            for (std::int64_t b = 0; b < n_blocks; ++b) out[b].d[t] = blocks[b].d;
        }
    }

    static void add_scaled(__m512 (&acc)[kAmxTokens], const AmxIntTile (&digits)[kDigits], const PackedBlock& w,
                           const TokenBlock& tokens) noexcept {
        const __m512 d = _mm512_load_ps(w.d);
        for (int t = 0; t < kAmxTokens; ++t) {
            __m512i sum = _mm512_add_epi32(digits[0].token(t), _mm512_slli_epi32(digits[1].token(t), 2));
            sum = _mm512_add_epi32(sum, _mm512_slli_epi32(digits[2].token(t), 4));
            sum = _mm512_add_epi32(sum, _mm512_slli_epi32(digits[3].token(t), 6));
            acc[t] = _mm512_fmadd_ps(_mm512_mul_ps(d, _mm512_set1_ps(tokens.d[t])), _mm512_cvtepi32_ps(sum), acc[t]);
        }
    }

    static void tile(const PackedBlock* w, const std::uint8_t* a, std::size_t a_row_bytes, const TokenBlock* tokens,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        const auto stride = static_cast<long>(a_row_bytes);
        __m512 acc[kAmxTokens];
        for (auto& value : acc) value = _mm512_setzero_ps();
        AmxIntTile digits[kDigits];
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            const std::uint8_t* qs = a + static_cast<std::size_t>(b) * sizeof(BlockQ8_K) + offsetof(BlockQ8_K, qs);
            _tile_zero(0);
            _tile_zero(1);
            _tile_zero(2);
            _tile_zero(3);
            for (int c = 0; c < kTilesPerBlock; ++c) {
                _tile_loadd(4, qs + kTileK * c, stride);
                _tile_loadd(5, w[b].digit[0][c], kTileBytes);
                _tile_dpbssd(0, 4, 5);
                _tile_loadd(6, w[b].digit[1][c], kTileBytes);
                _tile_dpbssd(1, 4, 6);
                _tile_loadd(7, w[b].digit[2][c], kTileBytes);
                _tile_dpbssd(2, 4, 7);
                _tile_loadd(5, w[b].digit[3][c], kTileBytes);
                _tile_dpbssd(3, 4, 5);
            }
            _tile_stored(0, digits[0].values, kAmxRows * 4);
            _tile_stored(1, digits[1].values, kAmxRows * 4);
            _tile_stored(2, digits[2].values, kAmxRows * 4);
            _tile_stored(3, digits[3].values, kAmxRows * 4);
            add_scaled(acc, digits, w[b], tokens[b]);
        }
        for (int t = 0; t < kAmxTokens; ++t) _mm512_storeu_ps(y + t * y_stride, acc[t]);
    }
};

}  // namespace

void gemm_interleaved_q6_k(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    amx_gemm<AmxQ6_KKernel>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride,
                            avx512::gemm_interleaved_q6_k);
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
