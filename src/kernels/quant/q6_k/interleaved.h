// Q6_K rows interleaved eight at a time (kernels/interleave.h). For each super-block column
// (8 × 210 bytes, as stored), with 32-element sub-block S = 4h + q (half h, quarter q):
//   d[8]              fp16  row r's super-block scale
//   scales[8][8][2]   int8  [i][r][k]: row r's scale of 16-element sub-block 2i + k
//   bits[2][8]              [h][j]: the 96 bytes of elements 4j..4j+3 of half h's sub-blocks
//     .ql[2][8][4]    u8    [m][r][k] = row r's ql[64h + 32m + 4j + k]: low nibbles are
//                           elements 4j..4j+3 of sub-block 4h + m, high nibbles of 4h + m + 2
//     .qh[8][4]       u8    [r][k] = row r's qh[32h + 4j + k]: bits 2q, 2q + 1 belong to
//                           sub-block 4h + q
// So a sub-block is 8 registers of four 6-bit levels × eight rows, and the rows' scales come
// as int16 pairs for both the level sums and the −32 offset's pair-wise dot with the
// activations' 16-element sums. The low and high bits of the same elements sit together, so
// a decode that takes four sub-blocks at once reads the block front to back (with ql and qh
// in two regions it read three streams, and memory at 60% of the rate).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/q6_k/block.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct GroupBlockQ6_K {
    static constexpr int kRows = 8;
    std::uint16_t d[kRows];
    std::int8_t scales[8][kRows][2];
    struct Column {
        std::uint8_t ql[2][kRows][4];
        std::uint8_t qh[kRows][4];
    };
    Column bits[2][8];
};
static_assert(sizeof(GroupBlockQ6_K) == GroupBlockQ6_K::kRows * sizeof(BlockQ6_K));

// Per row, per super-block: acc = fma(d·d_a, Σ scale·Σ (level − 32)·a, acc), as the SIMD
// kernels do.
INHOUSE_DECLARE_INTERLEAVED_KERNELS(q6_k)
INHOUSE_DECLARE_AMX_INTERLEAVED_KERNEL(q6_k)

}  // namespace inhouse::kernels
