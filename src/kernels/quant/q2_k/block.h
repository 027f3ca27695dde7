// Q2_K: 256 elements in 84 bytes, ggml's block_q2_K. Sixteen sub-blocks of 16 elements, each
// with a 4-bit scale and a 4-bit min:
//   scales[16]  u8     sub-block j: scale in the low nibble, min in the high nibble
//   qs[64]      u8     2-bit levels: for half h (128 elements) and shift s in 0..3, bits 2s-2s+1
//                      of byte 32h + l hold element 128h + 32s + l
//   d           fp16   super-block scale of the sub-block scales
//   dmin        fp16   super-block scale of the sub-block mins
// element = d · scale · level - dmin · min, level in [0, 3].
#pragma once

#include <cstdint>

#include "kernels/quant/block_geometry.h"

namespace inhouse::kernels {

struct BlockQ2_K {
    static constexpr int kBlockSize = kSuperBlockSize;
    std::uint8_t scales[kBlockSize / 16];
    std::uint8_t qs[kBlockSize / 4];
    std::uint16_t d;     // fp16
    std::uint16_t dmin;  // fp16
};
static_assert(sizeof(BlockQ2_K) == block_geometry(gguf::TensorType::Q2_K).block_size_bytes);
static_assert(BlockQ2_K::kBlockSize == block_geometry(gguf::TensorType::Q2_K).block_size);

namespace ref {
void dequantize_row_q2_k(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q2_k(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_K.
float dot_q2_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

}  // namespace inhouse::kernels
