#include <cmath>
#include <cstring>

#include "kernels/fp16.h"
#include "kernels/quant/q4_1/interleaved.h"
#include "kernels/quant/q8_1/block.h"

namespace inhouse::kernels::ref {

namespace {
constexpr int kRows = GroupBlockQ4_1::kRows;
constexpr int kBlockSize = BlockQ4_1::kBlockSize;
constexpr int kGroupsOfFour = kBlockSize / 8;  // four-byte groups per half block
}  // namespace

void interleave_q4_1(const void* rows, std::size_t row_bytes, std::int64_t n_cols, void* group) noexcept {
    const auto* first_row = static_cast<const std::uint8_t*>(rows);
    auto* out = static_cast<GroupBlockQ4_1*>(group);
    for (std::int64_t b = 0; b < n_cols / kBlockSize; ++b) {
        GroupBlockQ4_1& dst = out[b];
        for (int r = 0; r < kRows; ++r) {
            const auto& src = reinterpret_cast<const BlockQ4_1*>(first_row + static_cast<std::size_t>(r) * row_bytes)[b];
            dst.d[r] = src.d;
            dst.m[r] = src.m;
            for (int j = 0; j < kGroupsOfFour; ++j) std::memcpy(&dst.qs[32 * j + 4 * r], &src.qs[4 * j], 4);
        }
    }
}

void gemm_interleaved_q4_1(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    const std::int64_t n_blocks = n_cols / kBlockSize;
    for (std::int64_t g = 0; g < n_rows / kRows; ++g) {
        const auto* groups = reinterpret_cast<const GroupBlockQ4_1*>(static_cast<const std::uint8_t*>(w) +
                                                                     static_cast<std::size_t>(g * kRows) * w_row_bytes);
        for (std::int64_t t = 0; t < n_tokens; ++t) {
            const auto* acts = reinterpret_cast<const BlockQ8_1*>(static_cast<const std::uint8_t*>(a) +
                                                                  static_cast<std::size_t>(t) * a_row_bytes);
            float acc[kRows] = {};
            for (std::int64_t b = 0; b < n_blocks; ++b) {
                const GroupBlockQ4_1& gb = groups[b];
                const BlockQ8_1& ab = acts[b];
                const float d_a = fp16_to_fp32(ab.d);
                const float s_a = fp16_to_fp32(ab.s);
                for (int r = 0; r < kRows; ++r) {
                    std::int32_t sum = 0;
                    for (int j = 0; j < kGroupsOfFour; ++j) {
                        for (int k = 0; k < 4; ++k) {
                            const std::uint8_t byte = gb.qs[32 * j + 4 * r + k];
                            sum += (byte & 0x0f) * ab.qs[4 * j + k] + (byte >> 4) * ab.qs[16 + 4 * j + k];
                        }
                    }
                    acc[r] = std::fma(fp16_to_fp32(gb.d[r]) * d_a, static_cast<float>(sum), acc[r]);
                    acc[r] = std::fma(fp16_to_fp32(gb.m[r]), s_a, acc[r]);
                }
            }
            for (int r = 0; r < kRows; ++r) y[t * y_stride + g * kRows + r] = acc[r];
        }
    }
}

}  // namespace inhouse::kernels::ref
