#include "kernels/quant/interleaved_ref.h"

#include "kernels/quant/q8_0/interleaved.h"

namespace inhouse::kernels::ref {

namespace {

struct InterleavedQ8_0 : SmallBlockReference<InterleavedQ8_0> {
    using GroupBlock = GroupBlockQ8_0;
    using Activation = BlockQ8_0;
    static constexpr int kOffset = 0;
    static constexpr bool kHasMin = false;
    static int level(const GroupBlock& gb, int row, int e) noexcept { return gb.qs[32 * (e / 4) + 4 * row + e % 4]; }
};

}  // namespace

void interleave_q8_0(const void* rows, std::size_t row_bytes, std::int64_t n_cols, void* group) noexcept {
    const auto* first_row = static_cast<const std::uint8_t*>(rows);
    auto* out = static_cast<GroupBlockQ8_0*>(group);
    for (std::int64_t b = 0; b < n_cols / BlockQ8_0::kBlockSize; ++b) {
        const std::uint8_t* qs[kInterleavedGroupRows];
        for (int r = 0; r < kInterleavedGroupRows; ++r) {
            const auto& src = reinterpret_cast<const BlockQ8_0*>(first_row + static_cast<std::size_t>(r) * row_bytes)[b];
            out[b].d[r] = src.d;
            qs[r] = reinterpret_cast<const std::uint8_t*>(src.qs);
        }
        interleave_four_byte_groups(qs, sizeof(BlockQ8_0::qs), reinterpret_cast<std::uint8_t*>(out[b].qs));
    }
}

void deinterleave_row_q8_0(const void* group, int lane, std::int64_t n_cols, void* row) noexcept {
    const auto* groups = static_cast<const GroupBlockQ8_0*>(group);
    auto* out = static_cast<BlockQ8_0*>(row);
    for (std::int64_t b = 0; b < n_cols / BlockQ8_0::kBlockSize; ++b) {
        out[b].d = groups[b].d[lane];
        for (int i = 0; i < 32; ++i) out[b].qs[i] = groups[b].qs[32 * (i / 4) + 4 * lane + i % 4];
    }
}

void gemm_interleaved_q8_0(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    gemm_interleaved_reference<InterleavedQ8_0>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride);
}

}  // namespace inhouse::kernels::ref
