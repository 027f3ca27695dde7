// Q6_K · Q8_K with x86 SIMD, built once per level (kernels/simd/tiled_gemm.h). Per super-block:
// d · Σ_g scale_g · (Σ q·a − 32 · Σ a) over the sixteen 16-element groups, q the unsigned
// 6-bit value; Σ a per group is Q8_K's bsums. Every output: acc = fma(d·d_a, float(Σ scaled
// dots), acc), then acc −= d·d_a·32·(Σ scale·Σa) in lane 0 — whatever the tile.
#include "kernels/quant/q6_k/block.h"
#include "kernels/quant/q6_k/interleaved.h"
#include "kernels/quant/q6_k/interleaved_x86.h"
#include "kernels/quant/q8_k/block.h"
#include "kernels/simd/interleaved_gemm.h"
#include "kernels/simd/tiled_gemm.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

namespace {

// The 32 six-bit values of elements 128·half + 32·k + l (l < 32) of a block.
inline __m256i q6_levels(const BlockQ6_K& w, int half, int k) noexcept {
    const __m256i low_nibble = _mm256_set1_epi8(0x0f);
    const __m256i two_bits_at_4 = _mm256_set1_epi8(0x30);
    const __m256i low = load_256(w.ql + 64 * half + 32 * (k & 1));
    const __m256i nibble = k < 2 ? _mm256_and_si256(low, low_nibble)
                                 : _mm256_and_si256(_mm256_srli_epi16(low, 4), low_nibble);
    const __m256i high = load_256(w.qh + 32 * half);
    __m256i bits;
    switch (k) {
        case 0: bits = _mm256_slli_epi16(high, 4); break;
        case 1: bits = _mm256_slli_epi16(high, 2); break;
        case 2: bits = high; break;
        default: bits = _mm256_srli_epi16(high, 2); break;
    }
    return _mm256_or_si256(nibble, _mm256_and_si256(bits, two_bits_at_4));
}

struct Q6_KKernel {
    static constexpr int kBlockSize = BlockQ6_K::kBlockSize;

    template <int R, int T>
    static void tile(const std::uint8_t* w, std::size_t w_row_bytes, const std::uint8_t* a, std::size_t a_row_bytes,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        __m256 acc[R][T];
        zero_accumulators(acc);
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            const BlockQ6_K* wb[R];
            __m256i scales[R];  // int16, one per 16-element group
            for (int r = 0; r < R; ++r) {
                wb[r] = reinterpret_cast<const BlockQ6_K*>(w + static_cast<std::size_t>(r) * w_row_bytes) + b;
                scales[r] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(wb[r]->scales)));
            }
            const BlockQ8_K* ab[T];
            for (int t = 0; t < T; ++t) ab[t] = reinterpret_cast<const BlockQ8_K*>(a + static_cast<std::size_t>(t) * a_row_bytes) + b;
            __m256i sums[R][T];
            for (auto& row : sums) {
                for (auto& value : row) value = _mm256_setzero_si256();
            }
            for (int half = 0; half < 2; ++half) {
                __m256i half_scales[R];  // this half's eight scales in both 128-bit halves
                for (int r = 0; r < R; ++r) {
                    half_scales[r] = half == 0 ? _mm256_permute2x128_si256(scales[r], scales[r], 0x00)
                                               : _mm256_permute2x128_si256(scales[r], scales[r], 0x11);
                }
                for (int k = 0; k < 4; ++k) {
                    __m256i levels[R];
                    __m256i group_scales[R];
                    for (int r = 0; r < R; ++r) {
                        levels[r] = q6_levels(*wb[r], half, k);
                        group_scales[r] = scales_of(half_scales[r], 2 * k, 2 * k + 1);
                    }
                    for (int t = 0; t < T; ++t) {
                        const __m256i a_bytes = load_256(ab[t]->qs + 128 * half + 32 * k);
                        for (int r = 0; r < R; ++r) {
                            sums[r][t] = add_scaled_dot_u8s8(sums[r][t], levels[r], a_bytes, group_scales[r]);
                        }
                    }
                }
            }
            for (int r = 0; r < R; ++r) {
                const float d = fp16_to_float(wb[r]->d);
                for (int t = 0; t < T; ++t) {
                    const __m256i products = _mm256_madd_epi16(scales[r], load_256(ab[t]->bsums));
                    const int offset_sum = horizontal_sum_epi32(
                        _mm_add_epi32(_mm256_castsi256_si128(products), _mm256_extracti128_si256(products, 1)));
                    const float scale = d * ab[t]->d;
                    acc[r][t] = _mm256_fmadd_ps(_mm256_set1_ps(scale), _mm256_cvtepi32_ps(sums[r][t]), acc[r][t]);
                    acc[r][t] = _mm256_sub_ps(
                        acc[r][t], _mm256_zextps128_ps256(_mm_set_ss(scale * static_cast<float>(32 * offset_sum))));
                }
            }
        }
        store_sums(acc, y, y_stride);
    }
};

// Rows interleaved eight at a time (q6_k/interleaved.h): per 32-element sub-block, eight
// dpbusd give the rows' level sums of its two 16-element halves, two 32-bit multiplies apply
// their scales; the −32 offset is one pair-wise int16 dot of the rows' scales with the
// activations' 16-element sums per pair of halves. All integer, one fma per super-block.
struct InterleavedQ6_KKernel {
    static constexpr int kBlockSize = BlockQ6_K::kBlockSize;

    // One token (decode): the block's integer total, a half (four sub-blocks) at a time, so each
    // ql register is loaded once for its two sub-blocks and each qh register once for four
    // (the tile below reloads them per sub-block), with eight independent sums in flight. The
    // −32 offset's dot is summed apart and scaled once. Integer, so equal to the tile's total.
    static __m256i decode_block_total(const GroupBlockQ6_K& gb, const BlockQ8_K& ab, __m256i group_sums) noexcept {
        __m256i total = _mm256_setzero_si256();
        __m256i offset = _mm256_setzero_si256();
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {
            __m256i sums[4][2];
            for (auto& pair : sums) pair[0] = pair[1] = _mm256_setzero_si256();
#pragma GCC unroll 8
            for (int j = 0; j < 8; ++j) {
                __m256i ql[2] = {load_256(gb.bits[h][j].ql[0]), load_256(gb.bits[h][j].ql[1])};
                __m256i qh = load_256(gb.bits[h][j].qh);
                // In registers: each is used two or four times, and GCC would fold a load into each use.
                asm("" : "+v"(ql[0]), "+v"(ql[1]), "+v"(qh));
#pragma GCC unroll 4
                for (int q = 0; q < 4; ++q) {
                    __m256i& sum = sums[q][j / 4];
                    sum = add_dot_u8s8_broadcast(sum, interleaved_q6_k_levels(ql[q % 2], qh, q),
                                                 ab.qs + 32 * (4 * h + q) + 4 * j);
                }
            }
            for (int q = 0; q < 4; ++q) {
                const int sub_block = 4 * h + q;
                const __m256i scale_pairs =
                    _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(gb.scales[sub_block])));
                total = _mm256_add_epi32(total, _mm256_mullo_epi32(sums[q][0], _mm256_srai_epi32(_mm256_slli_epi32(scale_pairs, 16), 16)));
                total = _mm256_add_epi32(total, _mm256_mullo_epi32(sums[q][1], _mm256_srai_epi32(scale_pairs, 16)));
                offset = add_dot_s16(offset, scale_pairs, _mm256_permutevar8x32_epi32(group_sums, _mm256_set1_epi32(sub_block)));
            }
        }
        return _mm256_sub_epi32(total, _mm256_slli_epi32(offset, 5));
    }

    template <int G, int T>
    static void tile(const std::uint8_t* w, std::size_t group_bytes, const std::uint8_t* a, std::size_t a_row_bytes,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        __m256 acc[G][T];
        zero_accumulators(acc);
        for (std::int64_t b = 0; b < n_blocks; ++b) {
            const BlockQ8_K* ab[T];
            __m256 a_scale[T];
            __m256i group_sums[T];  // the sixteen 16-element Σa as int16, two per 32-bit lane
            for (int t = 0; t < T; ++t) {
                ab[t] = reinterpret_cast<const BlockQ8_K*>(a + static_cast<std::size_t>(t) * a_row_bytes) + b;
                a_scale[t] = _mm256_set1_ps(ab[t]->d);
                group_sums[t] = load_256(ab[t]->bsums);
            }
            for (int g = 0; g < G; ++g) {
                const auto& gb = reinterpret_cast<const GroupBlockQ6_K*>(w + static_cast<std::size_t>(g) * group_bytes)[b];
                if constexpr (T == 1) {
                    const __m256i total = decode_block_total(gb, *ab[0], group_sums[0]);
                    acc[g][0] = _mm256_fmadd_ps(_mm256_mul_ps(load_eight_fp16(gb.d), a_scale[0]), _mm256_cvtepi32_ps(total),
                                                acc[g][0]);
                    continue;
                }
                __m256i total[T];
                for (int t = 0; t < T; ++t) total[t] = _mm256_setzero_si256();
                #pragma GCC unroll 2
                for (int h = 0; h < 2; ++h) {
                    #pragma GCC unroll 4
                    for (int q = 0; q < 4; ++q) {
                        const int sub_block = 4 * h + q;
                        __m256i levels[8];
                        unpack_interleaved_q6_k_levels(gb, h, q, levels);
                        const __m256i scale_pairs = _mm256_cvtepi8_epi16(
                            _mm_loadu_si128(reinterpret_cast<const __m128i*>(gb.scales[sub_block])));
                        const __m256i first_scales = _mm256_srai_epi32(_mm256_slli_epi32(scale_pairs, 16), 16);
                        const __m256i second_scales = _mm256_srai_epi32(scale_pairs, 16);
                        const __m256i offset_scales = _mm256_mullo_epi16(scale_pairs, _mm256_set1_epi16(-32));
                        for (int t = 0; t < T; ++t) {
                            const std::int8_t* act = ab[t]->qs + 32 * sub_block;
                            constexpr int kChains = kDotChains<T> > 2 ? 2 : kDotChains<T>;
                            const __m256i first = dot_levels<UnsignedInterleavedLevels, kChains, 4>(
                                _mm256_setzero_si256(), levels, act);
                            const __m256i second = dot_levels<UnsignedInterleavedLevels, kChains, 4>(
                                _mm256_setzero_si256(), levels + 4, act + 16);
                            total[t] = _mm256_add_epi32(total[t], _mm256_mullo_epi32(first, first_scales));
                            total[t] = _mm256_add_epi32(total[t], _mm256_mullo_epi32(second, second_scales));
                            const __m256i pair = _mm256_permutevar8x32_epi32(group_sums[t], _mm256_set1_epi32(sub_block));
                            total[t] = add_dot_s16(total[t], offset_scales, pair);
                        }
                    }
                }
                const __m256 row_d = load_eight_fp16(gb.d);
                for (int t = 0; t < T; ++t) {
                    acc[g][t] = _mm256_fmadd_ps(_mm256_mul_ps(row_d, a_scale[t]), _mm256_cvtepi32_ps(total[t]), acc[g][t]);
                }
            }
        }
        store_row_lanes(acc, y, y_stride);
    }
};

}  // namespace

INHOUSE_DEFINE_X86_KERNELS(q6_k, Q6_KKernel, kSuperTileRows, kSuperTileTokens)

INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(q6_k, InterleavedQ6_KKernel,
                                      1, kInterleavedTileTokens, kInterleavedSingleTokenGroups)

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
