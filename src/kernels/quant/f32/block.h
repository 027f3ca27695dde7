// F32: IEEE-754 single precision, little-endian.
// A "block" is one element.
#pragma once

#include <cstdint>

#include "kernels/quant/block_geometry.h"

namespace inhouse::kernels {

struct BlockF32 {
    static constexpr int kBlockSize = 1;
    float value;
};
static_assert(sizeof(BlockF32) == block_geometry(gguf::TensorType::F32).block_size_bytes);
static_assert(BlockF32::kBlockSize == block_geometry(gguf::TensorType::F32).block_size);

namespace ref {
void dequantize_row_f32(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_f32(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are F32 too.
float dot_f32(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

}  // namespace inhouse::kernels
