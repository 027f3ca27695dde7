// Q4_1: 32 elements in 20 bytes, ggml's block_q4_1.
//   d      fp16   scale
//   m      fp16   offset (the block's minimum)
//   qs[16] u8     element i (i < 16) is the low nibble of qs[i], element i + 16 the high one;
//                 element = d · nibble + m
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/block_geometry.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct BlockQ4_1 {
    static constexpr int kBlockSize = 32;
    std::uint16_t d;  // fp16
    std::uint16_t m;  // fp16
    std::uint8_t qs[kBlockSize / 2];
};
static_assert(sizeof(BlockQ4_1) == block_geometry(gguf::TensorType::Q4_1).block_size_bytes);
static_assert(BlockQ4_1::kBlockSize == block_geometry(gguf::TensorType::Q4_1).block_size);

namespace ref {
void dequantize_row_q4_1(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q4_1(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_1.
float dot_q4_1(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

INHOUSE_DECLARE_X86_KERNELS(q4_1)

}  // namespace inhouse::kernels
