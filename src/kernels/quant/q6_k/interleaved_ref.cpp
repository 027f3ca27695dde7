#include <cmath>

#include "kernels/fp16.h"
#include "kernels/quant/interleaved_ref.h"
#include "kernels/quant/q6_k/interleaved.h"
#include "kernels/quant/q8_k/block.h"

namespace inhouse::kernels::ref {

namespace {

constexpr int kRows = GroupBlockQ6_K::kRows;
constexpr int kLevelBias = 32;

// The 6-bit level of element e (< 256) of row r.
int level(const GroupBlockQ6_K& gb, int r, int e) noexcept {
    const int sub_block = e / 32;
    const int h = sub_block / 4;
    const int q = sub_block % 4;
    const int j = (e % 32) / 4;
    const int k = e % 4;
    const int low = (gb.bits[h][j].ql[q % 2][r][k] >> (4 * (q / 2))) & 0x0f;
    const int high = (gb.bits[h][j].qh[r][k] >> (2 * q)) & 0x03;
    return low | (high << 4);
}

struct InterleavedQ6_K {
    using GroupBlock = GroupBlockQ6_K;
    using Activation = BlockQ8_K;
    static constexpr int kBlockSize = BlockQ6_K::kBlockSize;
    static void accumulate(const GroupBlock& gb, const Activation& ab, float (&acc)[kRows]) noexcept {
        for (int r = 0; r < kRows; ++r) {
            std::int32_t total = 0;
            for (int s = 0; s < 16; ++s) {
                std::int32_t sum = 0;
                for (int e = 16 * s; e < 16 * s + 16; ++e) sum += (level(gb, r, e) - kLevelBias) * ab.qs[e];
                total += gb.scales[s / 2][r][s % 2] * sum;
            }
            acc[r] = std::fma(fp16_to_fp32(gb.d[r]) * ab.d, static_cast<float>(total), acc[r]);
        }
    }
};

}  // namespace

void interleave_q6_k(const void* rows, std::size_t row_bytes, std::int64_t n_cols, void* group) noexcept {
    const auto* first_row = static_cast<const std::uint8_t*>(rows);
    auto* out = static_cast<GroupBlockQ6_K*>(group);
    for (std::int64_t b = 0; b < n_cols / BlockQ6_K::kBlockSize; ++b) {
        GroupBlockQ6_K& dst = out[b];
        for (int r = 0; r < kRows; ++r) {
            const auto& src = reinterpret_cast<const BlockQ6_K*>(first_row + static_cast<std::size_t>(r) * row_bytes)[b];
            dst.d[r] = src.d;
            for (int s = 0; s < 16; ++s) dst.scales[s / 2][r][s % 2] = src.scales[s];
            for (int h = 0; h < 2; ++h) {
                for (int j = 0; j < 8; ++j) {
                    for (int k = 0; k < 4; ++k) {
                        dst.bits[h][j].ql[0][r][k] = src.ql[64 * h + 4 * j + k];
                        dst.bits[h][j].ql[1][r][k] = src.ql[64 * h + 32 + 4 * j + k];
                        dst.bits[h][j].qh[r][k] = src.qh[32 * h + 4 * j + k];
                    }
                }
            }
        }
    }
}

void deinterleave_row_q6_k(const void* group, int lane, std::int64_t n_cols, void* row) noexcept {
    const auto* groups = static_cast<const GroupBlockQ6_K*>(group);
    auto* out = static_cast<BlockQ6_K*>(row);
    for (std::int64_t b = 0; b < n_cols / BlockQ6_K::kBlockSize; ++b) {
        const GroupBlockQ6_K& gb = groups[b];
        out[b].d = gb.d[lane];
        for (int s = 0; s < 16; ++s) out[b].scales[s] = gb.scales[s / 2][lane][s % 2];
        for (int h = 0; h < 2; ++h) {
            for (int j = 0; j < 8; ++j) {
                for (int k = 0; k < 4; ++k) {
                    out[b].ql[64 * h + 4 * j + k] = gb.bits[h][j].ql[0][lane][k];
                    out[b].ql[64 * h + 32 + 4 * j + k] = gb.bits[h][j].ql[1][lane][k];
                    out[b].qh[32 * h + 4 * j + k] = gb.bits[h][j].qh[lane][k];
                }
            }
        }
    }
}

void gemm_interleaved_q6_k(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    gemm_interleaved_reference<InterleavedQ6_K>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride);
}

}  // namespace inhouse::kernels::ref
