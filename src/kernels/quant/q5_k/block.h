// Q5_K: 256 elements in 176 bytes, ggml's block_q5_K. As Q4_K with a fifth bit per level:
//   d           fp16   super-block scale of the sub-block scales
//   dmin        fp16   super-block scale of the sub-block mins
//   scales[12]  u8     the 6-bit scales and mins, packed as in k_scale_packing.h
//   qh[32]      u8     bit 4 of the levels: byte l, bit 2c holds element 64c + l and bit
//                      2c + 1 holds element 64c + 32 + l
//   qs[128]     u8     bits 0-3 of the levels, arranged as Q4_K's qs
// element = d · scale · level - dmin · min, level in [0, 31].
#pragma once

#include <cstdint>

#include "kernels/quant/block_geometry.h"
#include "kernels/quant/k_scale_packing.h"

namespace inhouse::kernels {

struct BlockQ5_K {
    static constexpr int kBlockSize = kSuperBlockSize;
    std::uint16_t d;     // fp16
    std::uint16_t dmin;  // fp16
    std::uint8_t scales[kK4ScaleBytes];
    std::uint8_t qh[kBlockSize / 8];
    std::uint8_t qs[kBlockSize / 2];
};
static_assert(sizeof(BlockQ5_K) == block_geometry(gguf::TensorType::Q5_K).block_size_bytes);
static_assert(BlockQ5_K::kBlockSize == block_geometry(gguf::TensorType::Q5_K).block_size);

namespace ref {
void dequantize_row_q5_k(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q5_k(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_K.
float dot_q5_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

}  // namespace inhouse::kernels
