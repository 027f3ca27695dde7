// Shared by the formats whose rows are interleaved eight at a time (kernels/interleave.h): the
// layout's common move and the scalar reference of the products.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kernels/fp16.h"

namespace inhouse::kernels::ref {

inline constexpr int kInterleavedGroupRows = 8;

// dst[32j + 4r + k] = rows[r][4j + k] for j < n_bytes / 4: four consecutive bytes of each of
// the eight rows side by side, 32 bytes per j.
inline void interleave_four_byte_groups(const std::uint8_t* const (&rows)[kInterleavedGroupRows], int n_bytes,
                                        std::uint8_t* dst) noexcept {
    for (int j = 0; j < n_bytes / 4; ++j) {
        for (int r = 0; r < kInterleavedGroupRows; ++r) {
            for (int k = 0; k < 4; ++k) dst[32 * j + 4 * r + k] = rows[r][4 * j + k];
        }
    }
}

// The product over interleaved rows, operation for operation what the SIMD kernels do, so they
// agree with it bit for bit. Format provides GroupBlock, Activation, kBlockSize and
//   static void accumulate(const GroupBlock&, const Activation&, float (&acc)[8])
// which adds one block column to the eight rows' sums.
template <class Format>
void gemm_interleaved_reference(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                                std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                                std::int64_t y_stride) noexcept {
    using GroupBlock = typename Format::GroupBlock;
    using Activation = typename Format::Activation;
    constexpr int kRows = kInterleavedGroupRows;
    const std::int64_t n_blocks = n_cols / Format::kBlockSize;
    for (std::int64_t g = 0; g < n_rows / kRows; ++g) {
        const auto* groups = reinterpret_cast<const GroupBlock*>(static_cast<const std::uint8_t*>(w) +
                                                                 static_cast<std::size_t>(g * kRows) * w_row_bytes);
        for (std::int64_t t = 0; t < n_tokens; ++t) {
            const auto* acts = reinterpret_cast<const Activation*>(static_cast<const std::uint8_t*>(a) +
                                                                   static_cast<std::size_t>(t) * a_row_bytes);
            float acc[kRows] = {};
            for (std::int64_t b = 0; b < n_blocks; ++b) Format::accumulate(groups[b], acts[b], acc);
            for (int r = 0; r < kRows; ++r) y[t * y_stride + g * kRows + r] = acc[r];
        }
    }
}

// accumulate() for the 32-element formats (simd/interleaved_gemm.h's small-block tile), from
// the derived Format's
//   static int level(const GroupBlock&, int row, int element)
//   static constexpr int kOffset      element value = level + kOffset
//   static constexpr bool kHasMin     adds m_w · s_a per block (GroupBlock has m[8], Activation s)
template <class Format>
struct SmallBlockReference {
    static constexpr int kBlockSize = 32;
    template <class GroupBlock, class Activation>
    static void accumulate(const GroupBlock& gb, const Activation& ab, float (&acc)[kInterleavedGroupRows]) noexcept {
        std::int32_t activation_sum = 0;
        for (int e = 0; e < kBlockSize; ++e) activation_sum += ab.qs[e];
        const float d_a = fp16_to_fp32(ab.d);
        for (int r = 0; r < kInterleavedGroupRows; ++r) {
            std::int32_t sum = Format::kOffset * activation_sum;
            for (int e = 0; e < kBlockSize; ++e) sum += Format::level(gb, r, e) * ab.qs[e];
            acc[r] = std::fma(fp16_to_fp32(gb.d[r]) * d_a, static_cast<float>(sum), acc[r]);
            if constexpr (Format::kHasMin) acc[r] = std::fma(fp16_to_fp32(gb.m[r]), fp16_to_fp32(ab.s), acc[r]);
        }
    }
};

}  // namespace inhouse::kernels::ref
