#include <cmath>

#include "kernels/fp16.h"
#include "kernels/quant/interleaved_ref.h"
#include "kernels/quant/q4_k/interleaved.h"
#include "kernels/quant/q8_k/block.h"

namespace inhouse::kernels::ref {

namespace {

constexpr int kRows = GroupBlockQ4_K::kRows;

struct InterleavedQ4_K {
    using GroupBlock = GroupBlockQ4_K;
    using Activation = BlockQ8_K;
    static constexpr int kBlockSize = BlockQ4_K::kBlockSize;
    static void accumulate(const GroupBlock& gb, const Activation& ab, float (&acc)[kRows]) noexcept {
        for (int r = 0; r < kRows; ++r) {
            std::int32_t scaled = 0;
            std::int32_t mins = 0;
            for (int s = 0; s < kK4SubBlocks; ++s) {
                const int shift = 4 * (s % 2);
                std::int32_t sum = 0;
                for (int e = 0; e < 32; ++e) sum += ((gb.qs[s / 2][e / 4][r][e % 4] >> shift) & 0x0f) * ab.qs[32 * s + e];
                scaled += gb.scales[s][r] * sum;
                mins += gb.mins[s / 2][r][s % 2] * (ab.bsums[2 * s] + ab.bsums[2 * s + 1]);
            }
            acc[r] = std::fma(fp16_to_fp32(gb.d[r]) * ab.d, static_cast<float>(scaled), acc[r]);
            acc[r] = std::fma(-(fp16_to_fp32(gb.dmin[r]) * ab.d), static_cast<float>(mins), acc[r]);
        }
    }
};

}  // namespace

void interleave_q4_k(const void* rows, std::size_t row_bytes, std::int64_t n_cols, void* group) noexcept {
    const auto* first_row = static_cast<const std::uint8_t*>(rows);
    auto* out = static_cast<GroupBlockQ4_K*>(group);
    for (std::int64_t b = 0; b < n_cols / BlockQ4_K::kBlockSize; ++b) {
        GroupBlockQ4_K& dst = out[b];
        for (int r = 0; r < kRows; ++r) {
            const auto& src = reinterpret_cast<const BlockQ4_K*>(first_row + static_cast<std::size_t>(r) * row_bytes)[b];
            dst.d[r] = src.d;
            dst.dmin[r] = src.dmin;
            for (int s = 0; s < kK4SubBlocks; ++s) {
                const ScaleAndMin unpacked = unpack_k4_scale_and_min(src.scales, s);
                dst.scales[s][r] = unpacked.scale;
                dst.mins[s / 2][r][s % 2] = unpacked.min;
            }
            for (int c = 0; c < 4; ++c) {
                for (int j = 0; j < 8; ++j) {
                    for (int k = 0; k < 4; ++k) dst.qs[c][j][r][k] = src.qs[32 * c + 4 * j + k];
                }
            }
        }
    }
}

void deinterleave_row_q4_k(const void* group, int lane, std::int64_t n_cols, void* row) noexcept {
    const auto* groups = static_cast<const GroupBlockQ4_K*>(group);
    auto* out = static_cast<BlockQ4_K*>(row);
    for (std::int64_t b = 0; b < n_cols / BlockQ4_K::kBlockSize; ++b) {
        const GroupBlockQ4_K& gb = groups[b];
        out[b].d = gb.d[lane];
        out[b].dmin = gb.dmin[lane];
        std::uint8_t scales[kK4SubBlocks];
        std::uint8_t mins[kK4SubBlocks];
        for (int s = 0; s < kK4SubBlocks; ++s) {
            scales[s] = gb.scales[s][lane];
            mins[s] = gb.mins[s / 2][lane][s % 2];
        }
        pack_k4_scales_and_mins(scales, mins, out[b].scales);
        for (int c = 0; c < 4; ++c) {
            for (int j = 0; j < 8; ++j) {
                for (int k = 0; k < 4; ++k) out[b].qs[32 * c + 4 * j + k] = gb.qs[c][j][lane][k];
            }
        }
    }
}

void gemm_interleaved_q4_k(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    gemm_interleaved_reference<InterleavedQ4_K>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride);
}

}  // namespace inhouse::kernels::ref
