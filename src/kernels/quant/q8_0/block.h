// Q8_0: 32 elements in 34 bytes, ggml's block_q8_0.
//   d      fp16   scale
//   qs[32] int8   element i = d · qs[i]
// Also the activation type of Q4_0, Q5_0 and Q8_0 weights.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/block_geometry.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct BlockQ8_0 {
    static constexpr int kBlockSize = 32;
    std::uint16_t d;  // fp16
    std::int8_t qs[kBlockSize];
};
static_assert(sizeof(BlockQ8_0) == block_geometry(gguf::TensorType::Q8_0).block_size_bytes);
static_assert(BlockQ8_0::kBlockSize == block_geometry(gguf::TensorType::Q8_0).block_size);

namespace ref {
void dequantize_row_q8_0(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q8_0(const float* src, void* dst, std::int64_t n) noexcept;
// As llama.cpp quantizes activations at run time (kernels/quant/activation_q8.h).
void quantize_activations_q8_0(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_0.
float dot_q8_0(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

INHOUSE_DECLARE_X86_KERNELS(q8_0)
INHOUSE_DECLARE_X86_ACTIVATION_QUANTIZER(q8_0)

}  // namespace inhouse::kernels
