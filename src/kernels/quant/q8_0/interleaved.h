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

INHOUSE_DECLARE_INTERLEAVED_KERNELS(q8_0)
INHOUSE_DECLARE_AMX_INTERLEAVED_KERNEL(q8_0)

}  // namespace inhouse::kernels
