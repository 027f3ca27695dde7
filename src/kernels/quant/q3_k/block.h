// Q3_K: 256 elements in 110 bytes, ggml's block_q3_K. Sixteen sub-blocks of 16 elements, each
// with a signed 6-bit scale:
//   hmask[32]   u8     "high" bit of each level: element i in bit i / 32 of byte i % 32
//   qs[64]      u8     low 2 bits of the levels, arranged as in two_bit_packing.h
//   scales[12]  u8     sixteen 6-bit scales, stored +32: bits 0-3 of scale j in the low
//                      (j < 8) or high (j >= 8) nibble of byte j % 8; bits 4-5 in bits
//                      2(j / 4) and 2(j / 4) + 1 of byte 8 + j % 4
//   d           fp16   super-block scale of the sub-block scales
// level = low 2 bits - (high bit ? 0 : 4), in [-4, 3]; element = d · (scale - 32) · level.
#pragma once

#include <cstdint>

#include "kernels/quant/block_geometry.h"

namespace inhouse::kernels {

struct BlockQ3_K {
    static constexpr int kBlockSize = kSuperBlockSize;
    std::uint8_t hmask[kBlockSize / 8];
    std::uint8_t qs[kBlockSize / 4];
    std::uint8_t scales[12];
    std::uint16_t d;  // fp16
};
static_assert(sizeof(BlockQ3_K) == block_geometry(gguf::TensorType::Q3_K).block_size_bytes);
static_assert(BlockQ3_K::kBlockSize == block_geometry(gguf::TensorType::Q3_K).block_size);

namespace ref {
void dequantize_row_q3_k(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q3_k(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_K.
float dot_q3_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

}  // namespace inhouse::kernels
