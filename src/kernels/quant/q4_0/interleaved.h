// Q4_0 rows interleaved eight at a time (kernels/interleave.h). For each block column:
//   d[8]     fp16  row r's scale
//   qs[128]  u8    qs[32j + 4r + k] = row r's qs[4j + k]   (j < 4, k < 4)
// As for Q4_1 (q4_1/interleaved.h): 32 bytes hold the nibbles of elements 4j..4j+3 (low) and
// 16+4j..19+4j (high) of each of the eight rows.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/q4_0/block.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct GroupBlockQ4_0 {
    static constexpr int kRows = 8;
    std::uint16_t d[kRows];
    std::uint8_t qs[kRows * BlockQ4_0::kBlockSize / 2];
};
static_assert(sizeof(GroupBlockQ4_0) == GroupBlockQ4_0::kRows * sizeof(BlockQ4_0));

INHOUSE_DECLARE_INTERLEAVED_KERNELS(q4_0)
INHOUSE_DECLARE_AMX_INTERLEAVED_KERNEL(q4_0)

}  // namespace inhouse::kernels
