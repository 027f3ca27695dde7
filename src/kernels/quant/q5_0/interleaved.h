// Q5_0 rows interleaved eight at a time (kernels/interleave.h). For each block column:
//   d[8]            fp16  row r's scale
//   high_bits[32]   u8    8 little-endian u32, one per four elements: bit 4r + k of u32 i is
//                         bit 4 of row r's element 4i + k
//   qs[128]         u8    qs[32j + 4r + k] = row r's qs[4j + k]   (j < 4, k < 4)
// So the fifth bits of a register's 32 levels (as in q4_1/interleaved.h) are one u32, spread
// to bytes in a few instructions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/q5_0/block.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct GroupBlockQ5_0 {
    static constexpr int kRows = 8;
    std::uint16_t d[kRows];
    std::uint8_t high_bits[4 * BlockQ5_0::kBlockSize / 4];
    std::uint8_t qs[kRows * BlockQ5_0::kBlockSize / 2];
};
static_assert(sizeof(GroupBlockQ5_0) == GroupBlockQ5_0::kRows * sizeof(BlockQ5_0));

INHOUSE_DECLARE_INTERLEAVED_KERNELS(q5_0)
INHOUSE_DECLARE_AMX_INTERLEAVED_KERNEL(q5_0)

}  // namespace inhouse::kernels
