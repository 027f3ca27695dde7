#include "kernels/quant/interleaved_ref.h"

#include <cstring>

#include "kernels/quant/q5_0/interleaved.h"
#include "kernels/quant/q8_0/block.h"

namespace inhouse::kernels::ref {

namespace {

std::uint32_t load_u32(const std::uint8_t* bytes) noexcept {
    std::uint32_t value;
    std::memcpy(&value, bytes, sizeof(value));
    return value;
}

struct InterleavedQ5_0 : SmallBlockReference<InterleavedQ5_0> {
    using GroupBlock = GroupBlockQ5_0;
    using Activation = BlockQ8_0;
    static constexpr int kOffset = -16;
    static constexpr bool kHasMin = false;
    static int level(const GroupBlock& gb, int row, int e) noexcept {
        const int i = e % 16;
        const std::uint8_t byte = gb.qs[32 * (i / 4) + 4 * row + i % 4];
        const int low = e < 16 ? byte & 0x0f : byte >> 4;
        const int high = static_cast<int>((load_u32(gb.high_bits + 4 * (e / 4)) >> (4 * row + e % 4)) & 1u);
        return low | (high << 4);
    }
};

}  // namespace

void interleave_q5_0(const void* rows, std::size_t row_bytes, std::int64_t n_cols, void* group) noexcept {
    const auto* first_row = static_cast<const std::uint8_t*>(rows);
    auto* out = static_cast<GroupBlockQ5_0*>(group);
    for (std::int64_t b = 0; b < n_cols / BlockQ5_0::kBlockSize; ++b) {
        const std::uint8_t* qs[kInterleavedGroupRows];
        std::uint32_t high_bits[BlockQ5_0::kBlockSize / 4] = {};
        for (int r = 0; r < kInterleavedGroupRows; ++r) {
            const auto& src = reinterpret_cast<const BlockQ5_0*>(first_row + static_cast<std::size_t>(r) * row_bytes)[b];
            out[b].d[r] = src.d;
            qs[r] = src.qs;
            const std::uint32_t qh = load_u32(src.qh);
            for (int e = 0; e < BlockQ5_0::kBlockSize; ++e) {
                high_bits[e / 4] |= ((qh >> e) & 1u) << (4 * r + e % 4);
            }
        }
        interleave_four_byte_groups(qs, sizeof(BlockQ5_0::qs), out[b].qs);
        std::memcpy(out[b].high_bits, high_bits, sizeof(high_bits));
    }
}

void deinterleave_row_q5_0(const void* group, int lane, std::int64_t n_cols, void* row) noexcept {
    const auto* groups = static_cast<const GroupBlockQ5_0*>(group);
    auto* out = static_cast<BlockQ5_0*>(row);
    for (std::int64_t b = 0; b < n_cols / BlockQ5_0::kBlockSize; ++b) {
        out[b].d = groups[b].d[lane];
        for (int i = 0; i < 16; ++i) out[b].qs[i] = groups[b].qs[32 * (i / 4) + 4 * lane + i % 4];
        std::uint32_t qh = 0;
        for (int e = 0; e < BlockQ5_0::kBlockSize; ++e) {
            qh |= ((load_u32(groups[b].high_bits + 4 * (e / 4)) >> (4 * lane + e % 4)) & 1u) << e;
        }
        std::memcpy(out[b].qh, &qh, sizeof(qh));
    }
}

void gemm_interleaved_q5_0(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    gemm_interleaved_reference<InterleavedQ5_0>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride);
}

}  // namespace inhouse::kernels::ref
