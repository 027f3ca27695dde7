// Products over weight rows interleaved eight at a time (kernels/interleave.h) with 8-bit
// activation rows. A group block holds four consecutive elements of each of the eight rows
// per 32 bytes, so a u8·s8 dot against four activation bytes broadcast to every lane yields
// the eight rows' partial sums in the eight int32 lanes: no horizontal sum per block, and the
// unpacked weights of a block serve T tokens. Built once per level (see x86_common.h).
//
// Each output is one lane computed by the same operations whatever the tile or the batch
// (per block: acc = fma(d_w·d_a, float(Σ q·a), acc), then the format's min term), so
// batching cannot change a token's result, and ref::gemm_interleaved_<type> reproduces it
// bit for bit.
#pragma once

#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

inline constexpr int kInterleavedRows = 8;

// Tile sizes (groups of 8 rows × tokens) and groups per single-token tile. With AVX-512VL's 32
// registers one group × 6 tokens is fastest where the tile has no per-token offset to compute
// (two groups spill: Q4_1 25-38% slower); Q4_0 and Q8_0, on larger matrices, do better sharing
// each token's offset between two groups (2 × 4: Llama 2 7B Q4_0 prefill 6% and Llama 3.2 1B
// Q8_0 5% faster), Q5_0 on Gemma's small ones does not (1 × 6: 15% faster). AVX2's 16
// registers hold one group × 2 tokens. A single token (decode) goes through one group at a
// time, its dot sums split into chains (kDotChains): on AMD Zen 4 two groups at once, two
// streams 8 rows apart, read memory at half the rate of one (Q4_K 16384 × 4096, one thread:
// 18 against 40-48 GMAC/s).
#if defined(__AVX512VL__)
inline constexpr int kInterleavedTileTokens = 6;
inline constexpr int kInterleavedOffsetTileGroups = 2;
inline constexpr int kInterleavedOffsetTileTokens = 4;
inline constexpr int kInterleavedSingleTokenGroups = 1;
#else
inline constexpr int kInterleavedTileTokens = 2;
inline constexpr int kInterleavedOffsetTileGroups = 1;
inline constexpr int kInterleavedOffsetTileTokens = 2;
inline constexpr int kInterleavedSingleTokenGroups = 1;
#endif

// Traits of a format:
//   GroupBlock, Activation                 block structs
//   static void unpack(const GroupBlock&, __m256i (&levels)[8])
//       levels[i] holds, per row lane, the levels of elements 4i..4i+3
//   static __m256i product(__m256i acc, __m256i levels, __m256i a)   acc + Σ levels·a per lane
//                                          (UnsignedLevels: the u8·s8 dot)
//   static constexpr int kOffset           values are levels + kOffset: Σ levels·a + kOffset·Σa
//   static __m256 scales(const GroupBlock&) the eight rows' d_w
//   static constexpr bool kHasMin; static __m256 mins(const GroupBlock&);
//   static float activation_sum(const Activation&)   (kHasMin only: m_w · s_a per block)

struct UnsignedInterleavedLevels {
    static __m256i product(__m256i acc, __m256i levels, __m256i a) noexcept { return add_dot_u8s8(acc, levels, a); }
    static __m256i product_with_four_bytes(__m256i acc, __m256i levels, const std::int8_t* p) noexcept {
        return add_dot_u8s8_broadcast(acc, levels, p);
    }
};

// 128 bytes of interleaved nibbles (q4_1/interleaved.h) → levels[j] the low nibbles of bytes
// 32j..32j+31 (elements 4j..4j+3 of each row), levels[j + 4] their high nibbles.
inline void unpack_interleaved_nibbles(const std::uint8_t* qs, __m256i (&levels)[8]) noexcept {
    const __m256i low_nibbles = _mm256_set1_epi8(0x0f);
    for (int j = 0; j < 4; ++j) {
        const __m256i packed = load_256(qs + 32 * j);
        levels[j] = _mm256_and_si256(packed, low_nibbles);
        levels[j + 4] = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low_nibbles);
    }
}

inline __m256 load_eight_fp16(const std::uint16_t* halves) noexcept {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(halves)));
}

// A tile's accumulators to y: lane r of acc[g][t] is row 8g + r of token t.
template <int G, int T>
inline void store_row_lanes(const __m256 (&acc)[G][T], float* y, std::int64_t y_stride) noexcept {
    for (int g = 0; g < G; ++g) {
        for (int t = 0; t < T; ++t) _mm256_storeu_ps(y + t * y_stride + g * kInterleavedRows, acc[g][t]);
    }
}

// Σ of the 32 activation bytes times `factor`, in every lane.
inline __m256i broadcast_scaled_sum(const std::int8_t* a, int factor) noexcept {
    __m256i sums = add_dot_u8s8(_mm256_setzero_si256(), _mm256_set1_epi8(1), load_256(a));
    sums = _mm256_add_epi32(sums, _mm256_permute2x128_si256(sums, sums, 1));
    sums = _mm256_add_epi32(sums, _mm256_shuffle_epi32(sums, 0x4e));
    sums = _mm256_add_epi32(sums, _mm256_shuffle_epi32(sums, 0xb1));
    return _mm256_mullo_epi32(sums, _mm256_set1_epi32(factor));
}

inline __m256i broadcast_four_bytes(const std::int8_t* p) noexcept {
    std::int32_t word;
    std::memcpy(&word, p, sizeof(word));
    return _mm256_set1_epi32(word);
}

// Dependency chains for a tile's integer dot sums. dpbusd's latency (4-5 cycles) is longer
// than its issue interval, and a tile's eight dependent products per block outlast it even
// with six tokens in flight, so each sum is split into partial sums added at the end (Zen 4,
// two chains at 4-6 tokens: 7B Q4_0 pp128 +12%, Gemma 3 pp512 +18%). Integer sums are exact,
// so the split cannot change a result.
template <int T>
inline constexpr int kDotChains = T == 1 ? 4 : 2;

// init + Σ_{i<N} Product::product_with_four_bytes(levels[i], a + 4i), in Chains partial sums.
template <class Product, int Chains, int N>
inline __m256i dot_levels(__m256i init, const __m256i* levels, const std::int8_t* a) noexcept {
    static_assert(N % Chains == 0);
    __m256i partial[Chains];
    partial[0] = init;
    for (int c = 1; c < Chains; ++c) partial[c] = _mm256_setzero_si256();
    for (int i = 0; i < N; i += Chains) {
        for (int c = 0; c < Chains; ++c) {
            partial[c] = Product::product_with_four_bytes(partial[c], levels[i + c], a + 4 * (i + c));
        }
    }
    for (int width = Chains / 2; width > 0; width /= 2) {
        for (int c = 0; c < width; ++c) partial[c] = _mm256_add_epi32(partial[c], partial[c + width]);
    }
    return partial[0];
}

// The 32-element formats' tile: G groups × T tokens.
template <class Traits, int G, int T>
inline void small_block_interleaved_tile(const std::uint8_t* w, std::size_t group_bytes, const std::uint8_t* a,
                                         std::size_t a_row_bytes, std::int64_t n_blocks, float* y,
                                         std::int64_t y_stride) noexcept {
    using GroupBlock = typename Traits::GroupBlock;
    using Activation = typename Traits::Activation;
    __m256 acc[G][T];
    zero_accumulators(acc);
    for (std::int64_t b = 0; b < n_blocks; ++b) {
        const Activation* act[T];
        __m256 a_scale[T];
        __m256 a_sum[T];
        __m256i offset[T];
        for (int t = 0; t < T; ++t) {
            act[t] = reinterpret_cast<const Activation*>(a + static_cast<std::size_t>(t) * a_row_bytes) + b;
            a_scale[t] = _mm256_set1_ps(fp16_to_float(act[t]->d));
            if constexpr (Traits::kHasMin) a_sum[t] = _mm256_set1_ps(Traits::activation_sum(*act[t]));
            offset[t] = Traits::kOffset == 0 ? _mm256_setzero_si256() : broadcast_scaled_sum(act[t]->qs, Traits::kOffset);
        }
        for (int g = 0; g < G; ++g) {
            const auto& block = reinterpret_cast<const GroupBlock*>(w + static_cast<std::size_t>(g) * group_bytes)[b];
            __m256i levels[8];
            Traits::unpack(block, levels);
            const __m256 w_scale = Traits::scales(block);
            for (int t = 0; t < T; ++t) {
                const __m256i sums = dot_levels<Traits, kDotChains<T>, 8>(offset[t], levels, act[t]->qs);
                acc[g][t] = _mm256_fmadd_ps(_mm256_mul_ps(w_scale, a_scale[t]), _mm256_cvtepi32_ps(sums), acc[g][t]);
                if constexpr (Traits::kHasMin) acc[g][t] = _mm256_fmadd_ps(Traits::mins(block), a_sum[t], acc[g][t]);
            }
        }
    }
    store_row_lanes(acc, y, y_stride);
}

template <class Traits>
struct SmallBlockInterleavedKernel {
    static constexpr int kBlockSize = 32;
    template <int G, int T>
    static void tile(const std::uint8_t* w, std::size_t group_bytes, const std::uint8_t* a, std::size_t a_row_bytes,
                     std::int64_t n_blocks, float* y, std::int64_t y_stride) noexcept {
        small_block_interleaved_tile<Traits, G, T>(w, group_bytes, a, a_row_bytes, n_blocks, y, y_stride);
    }
};

// y[t · y_stride + r] = row r · activation row t, n_rows a multiple of 8, w_row_bytes the
// interleaved layout's bytes per row. Groups are walked a chunk of max(G, G1) at a time, the
// chunk's weights serving every tile of G groups × T tokens while they are in L1; tokens left
// over go one at a time through G1 groups at once (decode). Kernel has kBlockSize and
// template <int G, int T> tile(w, group_bytes, a, a_row_bytes, n_blocks, y, y_stride).
template <class Kernel, int G, int T, int G1>
void interleaved_gemm(const void* weights, std::size_t w_row_bytes, std::int64_t n_rows, const void* activations,
                      std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                      std::int64_t y_stride) noexcept {
    constexpr int kChunk = G > G1 ? G : G1;
    static_assert(kChunk % G == 0 && kChunk % G1 == 0);
    const auto* w = static_cast<const std::uint8_t*>(weights);
    const auto* a = static_cast<const std::uint8_t*>(activations);
    const std::size_t group_bytes = kInterleavedRows * w_row_bytes;
    const std::int64_t n_groups = n_rows / kInterleavedRows;
    const std::int64_t n_blocks = n_cols / Kernel::kBlockSize;
    const auto w_at = [&](std::int64_t g) { return w + static_cast<std::size_t>(g) * group_bytes; };
    const auto a_at = [&](std::int64_t t) { return a + static_cast<std::size_t>(t) * a_row_bytes; };
    const auto y_at = [&](std::int64_t g, std::int64_t t) { return y + t * y_stride + g * kInterleavedRows; };
    for (std::int64_t g = 0; g < n_groups;) {
        const bool whole = g + kChunk <= n_groups;
        const std::int64_t chunk = whole ? kChunk : 1;
        std::int64_t t = 0;
        for (; t + T <= n_tokens; t += T) {
            if (whole) {
                for (std::int64_t c = g; c < g + kChunk; c += G) {
                    Kernel::template tile<G, T>(w_at(c), group_bytes, a_at(t), a_row_bytes, n_blocks, y_at(c, t), y_stride);
                }
            } else {
                Kernel::template tile<1, T>(w_at(g), group_bytes, a_at(t), a_row_bytes, n_blocks, y_at(g, t), y_stride);
            }
        }
        for (; t < n_tokens; ++t) {
            if (whole) {
                for (std::int64_t c = g; c < g + kChunk; c += G1) {
                    Kernel::template tile<G1, 1>(w_at(c), group_bytes, a_at(t), a_row_bytes, n_blocks, y_at(c, t), y_stride);
                }
            } else {
                Kernel::template tile<1, 1>(w_at(g), group_bytes, a_at(t), a_row_bytes, n_blocks, y_at(g, t), y_stride);
            }
        }
        g += chunk;
    }
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
