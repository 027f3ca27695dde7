// Q8_1: 32 elements in 36 bytes, ggml's block_q8_1.
//   d      fp16   scale
//   s      fp16   d · Σ qs[i], so that offset formats (Q4_1, Q5_1) get the sum of the
//                 activations without a pass over them
//   qs[32] int8   element i = d · qs[i]
// The activation type of Q4_1 and Q5_1 weights.
#pragma once

#include <cstdint>

#include "kernels/quant/block_geometry.h"

namespace inhouse::kernels {

struct BlockQ8_1 {
    static constexpr int kBlockSize = 32;
    std::uint16_t d;  // fp16
    std::uint16_t s;  // fp16
    std::int8_t qs[kBlockSize];
};
static_assert(sizeof(BlockQ8_1) == block_geometry(gguf::TensorType::Q8_1).block_size_bytes);
static_assert(BlockQ8_1::kBlockSize == block_geometry(gguf::TensorType::Q8_1).block_size);

namespace ref {
void dequantize_row_q8_1(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q8_1(const float* src, void* dst, std::int64_t n) noexcept;
// As llama.cpp quantizes activations at run time (kernels/quant/activation_q8.h).
void quantize_activations_q8_1(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_1.
float dot_q8_1(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

}  // namespace inhouse::kernels
