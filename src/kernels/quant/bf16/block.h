// BF16: bfloat16 (the top 16 bits of a float: 1 sign, 8 exponent, 7 mantissa bits).
// A "block" is one element.
#pragma once

#include <cstdint>

#include "kernels/quant/block_geometry.h"

namespace inhouse::kernels {

struct BlockBF16 {
    static constexpr int kBlockSize = 1;
    std::uint16_t value;
};
static_assert(sizeof(BlockBF16) == block_geometry(gguf::TensorType::BF16).block_size_bytes);
static_assert(BlockBF16::kBlockSize == block_geometry(gguf::TensorType::BF16).block_size);

namespace ref {
void dequantize_row_bf16(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_bf16(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are BF16 too.
float dot_bf16(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

}  // namespace inhouse::kernels
