// Q4_K · Q8_K with x86 SIMD, built once per level (kernels/simd/tiled_gemm.h). Per super-block:
// d · Σ_sub scale · Σ level·a  −  dmin · Σ_sub min · Σ a, the activation sums coming from
// Q8_K's 16-element bsums. Every output: acc = fma(d·d_a, float(Σ scaled dots), acc), then
// acc −= dmin·d_a·(Σ min·Σa) in lane 0, one fixed horizontal sum — whatever the tile. Both
// integer sums are exact, so their SIMD order is free.
#include "kernels/quant/q4_k/block.h"
#include "kernels/quant/q4_k/interleaved.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/simd/interleaved_gemm.h"
#include "kernels/simd/tiled_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

// The eight 6-bit scales (bytes 0-7) and mins (bytes 8-15) of a block, unpacked from the
// 12-byte layout of k_scale_packing.h four at a time in 32-bit words.
inline __m128i unpack_scales_and_mins(const std::uint8_t* packed) noexcept {
    std::uint32_t word[3];
    std::memcpy(word, packed, sizeof(word));
    constexpr std::uint32_t kLow6 = 0x3f3f3f3f;
    constexpr std::uint32_t kLow4 = 0x0f0f0f0f;
    constexpr std::uint32_t kLow2 = 0x03030303;
    const std::uint32_t scales_0_3 = word[0] & kLow6;
    const std::uint32_t mins_0_3 = word[1] & kLow6;
    const std::uint32_t scales_4_7 = (word[2] & kLow4) | (((word[0] >> 6) & kLow2) << 4);
    const std::uint32_t mins_4_7 = ((word[2] >> 4) & kLow4) | (((word[1] >> 6) & kLow2) << 4);
    return _mm_set_epi32(static_cast<int>(mins_4_7), static_cast<int>(mins_0_3), static_cast<int>(scales_4_7),
                         static_cast<int>(scales_0_3));
}

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
            __m256i scales[R];
            __m128i mins[R];
            for (int r = 0; r < R; ++r) {
                wb[r] = reinterpret_cast<const BlockQ4_K*>(w + static_cast<std::size_t>(r) * w_row_bytes) + b;
                const __m128i scales_and_mins = unpack_scales_and_mins(wb[r]->scales);
                scales[r] = int16_scales_in_both_halves(_mm_cvtepu8_epi16(scales_and_mins));
                mins[r] = _mm_cvtepu8_epi16(_mm_unpackhi_epi64(scales_and_mins, scales_and_mins));
            }
            const BlockQ8_K* ab[T];
            __m128i sub_block_sums[T];  // Σa of each 32-element sub-block, int16
            for (int t = 0; t < T; ++t) {
                ab[t] = reinterpret_cast<const BlockQ8_K*>(a + static_cast<std::size_t>(t) * a_row_bytes) + b;
                sub_block_sums[t] = _mm_hadd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(ab[t]->bsums)),
                                                   _mm_loadu_si128(reinterpret_cast<const __m128i*>(ab[t]->bsums + 8)));
            }
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
                    low_scales[r] = scales_of(scales[r], 2 * chunk, 2 * chunk);
                    high_scales[r] = scales_of(scales[r], 2 * chunk + 1, 2 * chunk + 1);
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
                    const int min_sum = horizontal_sum_epi32(_mm_madd_epi16(mins[r], sub_block_sums[t]));
                    acc[r][t] = _mm256_fmadd_ps(_mm256_set1_ps(d * ab[t]->d), _mm256_cvtepi32_ps(sums[r][t]), acc[r][t]);
                    acc[r][t] = _mm256_sub_ps(
                        acc[r][t], _mm256_zextps128_ps256(_mm_set_ss(dmin * ab[t]->d * static_cast<float>(min_sum))));
                }
            }
        }
        store_sums(acc, y, y_stride);
    }
};

// Rows interleaved eight at a time (q4_k/interleaved.h): per sub-block, eight dpbusd give the
// eight rows' level sums, one 32-bit multiply applies their scales; per super-block, the min
// terms are a pair-wise int16 dot of the rows' mins with the activations' sub-block sums.
struct InterleavedQ4_KKernel {
    static constexpr int kBlockSize = BlockQ4_K::kBlockSize;

    // Sub-block s's scales of the eight rows, one per 32-bit lane.
    static __m256i row_scales_of(const GroupBlockQ4_K& gb, int s) noexcept {
        return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(gb.scales[s])));
    }

    // Sub-block 2·chunk + kShift/4 (low nibbles, then high ones) of every token into scaled[t].
    template <int T, int kShift>
    static void add_sub_block(const GroupBlockQ4_K& gb, int chunk, const BlockQ8_K* const (&ab)[T],
                              __m256i (&scaled)[T]) noexcept {
        const int s = 2 * chunk + kShift / 4;
        __m256i levels[8];
        for (int j = 0; j < 8; ++j) {
            const __m256i packed = load_256(gb.qs[chunk][j]);
            levels[j] = _mm256_and_si256(kShift == 0 ? packed : _mm256_srli_epi16(packed, kShift), _mm256_set1_epi8(0x0f));
        }
        const __m256i row_scales = row_scales_of(gb, s);
        for (int t = 0; t < T; ++t) {
            const __m256i sums =
                dot_levels<UnsignedInterleavedLevels, kDotChains<T>, 8>(_mm256_setzero_si256(), levels, ab[t]->qs + 32 * s);
            scaled[t] = _mm256_add_epi32(scaled[t], _mm256_mullo_epi32(sums, row_scales));
        }
    }

    // One token: each 32-byte vector of nibbles is loaded once and serves both of its
    // sub-blocks (GCC otherwise folds the load into the mask and into the shift, two loads).
    static void add_chunk_one_token(const GroupBlockQ4_K& gb, int chunk, const std::int8_t* a,
                                    __m256i& scaled) noexcept {
        const __m256i low_nibbles = _mm256_set1_epi8(0x0f);
        __m256i low[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
        __m256i high[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
        const std::int8_t* a_low = a + 64 * chunk;
        for (int j = 0; j < 8; ++j) {
            __m256i packed = load_256(gb.qs[chunk][j]);
            asm("" : "+v"(packed));  // keep it in a register: one load, two uses
            low[j & 1] = add_dot_u8s8_broadcast(low[j & 1], _mm256_and_si256(packed, low_nibbles), a_low + 4 * j);
            high[j & 1] = add_dot_u8s8_broadcast(high[j & 1], _mm256_and_si256(_mm256_srli_epi16(packed, 4), low_nibbles),
                                                 a_low + 32 + 4 * j);
        }
        scaled = _mm256_add_epi32(scaled, _mm256_mullo_epi32(_mm256_add_epi32(low[0], low[1]), row_scales_of(gb, 2 * chunk)));
        scaled = _mm256_add_epi32(scaled,
                                  _mm256_mullo_epi32(_mm256_add_epi32(high[0], high[1]), row_scales_of(gb, 2 * chunk + 1)));
    }

    // The per-token values outside the sub-block loop (activation scale, sub-block sums, the
    // min terms) are computed after it, so the loop has its registers to itself.
    template <int G, int T>
    static void tile(const std::uint8_t* w, std::size_t group_bytes, const std::uint8_t* a, std::size_t a_row_bytes,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        __m256 acc[G][T];
        zero_accumulators(acc);
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            const BlockQ8_K* ab[T];
            for (int t = 0; t < T; ++t) {
                ab[t] = reinterpret_cast<const BlockQ8_K*>(a + static_cast<std::size_t>(t) * a_row_bytes) + b;
            }
            for (int g = 0; g < G; ++g) {
                const auto& gb = reinterpret_cast<const GroupBlockQ4_K*>(w + static_cast<std::size_t>(g) * group_bytes)[b];
                __m256i scaled[T];
                for (int t = 0; t < T; ++t) scaled[t] = _mm256_setzero_si256();
                for (int chunk = 0; chunk < 4; ++chunk) {
                    if constexpr (T == 1) {
                        add_chunk_one_token(gb, chunk, ab[0]->qs, scaled[0]);
                    } else {
                        add_sub_block<T, 0>(gb, chunk, ab, scaled);
                        add_sub_block<T, 4>(gb, chunk, ab, scaled);
                    }
                }
                const __m256 row_d = load_eight_fp16(gb.d);
                const __m256 row_dmin = load_eight_fp16(gb.dmin);
                for (int t = 0; t < T; ++t) {
                    // Σa of each sub-block as int16, lanes 0-3 hold the pairs.
                    const __m256i sub_block_sums = _mm256_castsi128_si256(
                        _mm_hadd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(ab[t]->bsums)),
                                       _mm_loadu_si128(reinterpret_cast<const __m128i*>(ab[t]->bsums + 8))));
                    __m256i mins = _mm256_setzero_si256();
                    for (int p = 0; p < 4; ++p) {
                        const __m256i row_mins =
                            _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(gb.mins[p])));
                        mins = add_dot_s16(mins, row_mins, _mm256_permutevar8x32_epi32(sub_block_sums, _mm256_set1_epi32(p)));
                    }
                    const __m256 a_scale = _mm256_set1_ps(ab[t]->d);
                    acc[g][t] = _mm256_fmadd_ps(_mm256_mul_ps(row_d, a_scale), _mm256_cvtepi32_ps(scaled[t]), acc[g][t]);
                    acc[g][t] = _mm256_fnmadd_ps(_mm256_mul_ps(row_dmin, a_scale), _mm256_cvtepi32_ps(mins), acc[g][t]);
                }
            }
        }
        store_row_lanes(acc, y, y_stride);
    }
};

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q4_k, Q4_KKernel, kSuperTileRows, kSuperTileTokens)

INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(q4_k, InterleavedQ4_KKernel,
                                      1, kInterleavedTileTokens, kInterleavedSingleTokenGroups)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
