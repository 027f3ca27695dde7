// Q4_K rows interleaved eight at a time (kernels/interleave.h). For each super-block column,
// with the sub-block scales and mins unpacked to bytes (so the group takes 1184 bytes, not
// 8 × 144: 148 per row):
//   d[8], dmin[8]     fp16  row r's super-block scales
//   scales[8][8]      u8    [s][r]: sub-block s's 6-bit scale of row r
//   mins[4][8][2]     u8    [p][r][h]: sub-block 2p + h's 6-bit min of row r
//   qs[4][8][8][4]    u8    [c][j][r][k] = row r's qs[32c + 4j + k]: for chunk c, the low
//                           nibbles are elements 4j..4j+3 of sub-block 2c, the high ones of
//                           sub-block 2c + 1
// So per sub-block, 8 registers of four levels × eight rows and one register of the rows'
// scales; the min terms are int16 pairs for a pair-wise dot with the activations' sums.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/q4_k/block.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct GroupBlockQ4_K {
    static constexpr int kRows = 8;
    std::uint16_t d[kRows];
    std::uint16_t dmin[kRows];
    std::uint8_t scales[kK4SubBlocks][kRows];
    std::uint8_t mins[kK4SubBlocks / 2][kRows][2];
    std::uint8_t qs[4][8][kRows][4];
};
static_assert(sizeof(GroupBlockQ4_K) == 1184);

// Per row, per super-block: acc = fma(d·d_a, Σ scale·Σ level·a, acc), then
// acc = fma(−(dmin·d_a), Σ min·Σa, acc), as the SIMD kernels do.
INHOUSE_DECLARE_INTERLEAVED_KERNELS(q4_k)
INHOUSE_DECLARE_AMX_INTERLEAVED_KERNEL(q4_k)

}  // namespace inhouse::kernels
