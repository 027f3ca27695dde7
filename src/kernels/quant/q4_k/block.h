// Q4_K: 256 elements in 144 bytes, ggml's block_q4_K. Eight sub-blocks of 32 elements, each
// with a 6-bit scale and a 6-bit min:
//   d           fp16   super-block scale of the sub-block scales
//   dmin        fp16   super-block scale of the sub-block mins
//   scales[12]  u8     the 6-bit scales and mins, packed as in k_scale_packing.h
//   qs[128]     u8     4-bit levels: for chunk c (64 elements), byte 32c + l holds element
//                      64c + l (sub-block 2c) in its low nibble and 64c + 32 + l (sub-block
//                      2c + 1) in its high nibble
// element = d · scale · level - dmin · min.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/block_geometry.h"
#include "kernels/simd/x86_kernels.h"
#include "kernels/quant/k_scale_packing.h"

namespace inhouse::kernels {

struct BlockQ4_K {
    static constexpr int kBlockSize = kSuperBlockSize;
    std::uint16_t d;     // fp16
    std::uint16_t dmin;  // fp16
    std::uint8_t scales[kK4ScaleBytes];
    std::uint8_t qs[kBlockSize / 2];
};
static_assert(sizeof(BlockQ4_K) == block_geometry(gguf::TensorType::Q4_K).block_size_bytes);
static_assert(BlockQ4_K::kBlockSize == block_geometry(gguf::TensorType::Q4_K).block_size);

namespace ref {
void dequantize_row_q4_k(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q4_k(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_K.
float dot_q4_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

INHOUSE_DECLARE_X86_KERNELS(q4_k)

}  // namespace inhouse::kernels
