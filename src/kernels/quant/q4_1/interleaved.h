// Q4_1 rows interleaved eight at a time (kernels/interleave.h). For each block column, the
// eight rows' scales, mins and nibble bytes side by side:
//   d[8]     fp16  row r's scale
//   m[8]     fp16  row r's minimum
//   qs[128]  u8    qs[32j + 4r + k] = row r's qs[4j + k]   (j < 4, k < 4)
// So 32 bytes hold, for each of the eight rows, the nibbles of elements 4j..4j+3 (low) and
// 16+4j..19+4j (high): one register of four consecutive elements per row, and a u8·s8 dot
// with four broadcast activation bytes gives all eight rows at once, with no horizontal sum.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/q4_1/block.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct GroupBlockQ4_1 {
    static constexpr int kRows = 8;
    std::uint16_t d[kRows];
    std::uint16_t m[kRows];
    std::uint8_t qs[kRows * BlockQ4_1::kBlockSize / 2];
};
static_assert(sizeof(GroupBlockQ4_1) == GroupBlockQ4_1::kRows * sizeof(BlockQ4_1));

// The reference product, operation for operation what the SIMD kernels do (so they agree bit
// for bit): per row, per block, acc = fma(d_w·d_a, Σ q·a, acc), then acc = fma(m_w, s_a, acc).
INHOUSE_DECLARE_INTERLEAVED_KERNELS(q4_1)
INHOUSE_DECLARE_AMX_INTERLEAVED_KERNEL(q4_1)

}  // namespace inhouse::kernels
