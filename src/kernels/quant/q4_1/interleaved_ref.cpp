#include "kernels/quant/interleaved_ref.h"

#include "kernels/quant/q4_1/interleaved.h"
#include "kernels/quant/q8_1/block.h"

namespace inhouse::kernels::ref {

namespace {

struct InterleavedQ4_1 : SmallBlockReference<InterleavedQ4_1> {
    using GroupBlock = GroupBlockQ4_1;
    using Activation = BlockQ8_1;
    static constexpr int kOffset = 0;
    static constexpr bool kHasMin = true;
    // Element e < 16 is the low nibble of its row's qs[e], e ≥ 16 the high nibble of qs[e − 16].
    static int level(const GroupBlock& gb, int row, int e) noexcept {
        const int i = e % 16;
        const std::uint8_t byte = gb.qs[32 * (i / 4) + 4 * row + i % 4];
        return e < 16 ? byte & 0x0f : byte >> 4;
    }
};

}  // namespace

void interleave_q4_1(const void* rows, std::size_t row_bytes, std::int64_t n_cols, void* group) noexcept {
    const auto* first_row = static_cast<const std::uint8_t*>(rows);
    auto* out = static_cast<GroupBlockQ4_1*>(group);
    for (std::int64_t b = 0; b < n_cols / BlockQ4_1::kBlockSize; ++b) {
        const std::uint8_t* qs[kInterleavedGroupRows];
        for (int r = 0; r < kInterleavedGroupRows; ++r) {
            const auto& src = reinterpret_cast<const BlockQ4_1*>(first_row + static_cast<std::size_t>(r) * row_bytes)[b];
            out[b].d[r] = src.d;
            out[b].m[r] = src.m;
            qs[r] = src.qs;
        }
        interleave_four_byte_groups(qs, sizeof(BlockQ4_1::qs), out[b].qs);
    }
}

void deinterleave_row_q4_1(const void* group, int lane, std::int64_t n_cols, void* row) noexcept {
    const auto* groups = static_cast<const GroupBlockQ4_1*>(group);
    auto* out = static_cast<BlockQ4_1*>(row);
    for (std::int64_t b = 0; b < n_cols / BlockQ4_1::kBlockSize; ++b) {
        out[b].d = groups[b].d[lane];
        out[b].m = groups[b].m[lane];
        for (int i = 0; i < 16; ++i) out[b].qs[i] = groups[b].qs[32 * (i / 4) + 4 * lane + i % 4];
    }
}

void gemm_interleaved_q4_1(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    gemm_interleaved_reference<InterleavedQ4_1>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride);
}

}  // namespace inhouse::kernels::ref
