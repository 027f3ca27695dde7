// Q5_0: 32 elements in 22 bytes, ggml's block_q5_0.
//   d      fp16   scale
//   qh[4]  u8     bit i of the little-endian u32 is bit 4 of element i
//   qs[16] u8     element i (i < 16) has its low 4 bits in the low nibble of qs[i], element
//                 i + 16 in the high one; element = d · (q - 16), q in [0, 31]
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/block_geometry.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct BlockQ5_0 {
    static constexpr int kBlockSize = 32;
    std::uint16_t d;  // fp16
    std::uint8_t qh[4];
    std::uint8_t qs[kBlockSize / 2];
};
static_assert(sizeof(BlockQ5_0) == block_geometry(gguf::TensorType::Q5_0).block_size_bytes);
static_assert(BlockQ5_0::kBlockSize == block_geometry(gguf::TensorType::Q5_0).block_size);

namespace ref {
void dequantize_row_q5_0(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q5_0(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_0.
float dot_q5_0(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

INHOUSE_DECLARE_X86_KERNELS(q5_0)

}  // namespace inhouse::kernels
