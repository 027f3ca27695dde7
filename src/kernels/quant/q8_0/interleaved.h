// Q8_0 rows interleaved eight at a time (kernels/interleave.h). For each block column:
//   d[8]     fp16  row r's scale
//   qs[256]  int8  qs[32j + 4r + k] = row r's qs[4j + k]   (j < 8, k < 4)
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/q8_0/block.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct GroupBlockQ8_0 {
    static constexpr int kRows = 8;
    std::uint16_t d[kRows];
    std::int8_t qs[kRows * BlockQ8_0::kBlockSize];
};
static_assert(sizeof(GroupBlockQ8_0) == GroupBlockQ8_0::kRows * sizeof(BlockQ8_0));

namespace ref {
void interleave_q8_0(const void* rows, std::size_t row_bytes, std::int64_t n_cols, void* group) noexcept;
void deinterleave_row_q8_0(const void* group, int lane, std::int64_t n_cols, void* row) noexcept;
void gemm_interleaved_q8_0(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept;
}  // namespace ref

INHOUSE_DECLARE_X86_INTERLEAVED_KERNEL(q8_0)

}  // namespace inhouse::kernels
