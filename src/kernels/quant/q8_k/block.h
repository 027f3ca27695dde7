// Q8_K: 256 elements in 292 bytes, ggml's block_q8_K.
//   d          f32    scale (a full float, unlike the fp16 scales elsewhere)
//   qs[256]    int8   element i = d · qs[i]
//   bsums[16]  int16  Σ qs over each group of 16 elements, for the K-quants' min terms
// The activation type of the K-quants (Q2_K … Q6_K); never stored in model files.
#pragma once

#include <cstdint>

#include "kernels/quant/block_geometry.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct BlockQ8_K {
    static constexpr int kBlockSize = kSuperBlockSize;
    float d;
    std::int8_t qs[kBlockSize];
    std::int16_t bsums[kBlockSize / 16];
};
static_assert(sizeof(BlockQ8_K) == block_geometry(gguf::TensorType::Q8_K).block_size_bytes);
static_assert(BlockQ8_K::kBlockSize == block_geometry(gguf::TensorType::Q8_K).block_size);

namespace ref {
void dequantize_row_q8_k(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q8_k(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_K.
float dot_q8_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

INHOUSE_DECLARE_X86_ACTIVATION_QUANTIZER(q8_k)

}  // namespace inhouse::kernels
