// F16: IEEE-754 half precision (1 sign, 5 exponent, 10 mantissa bits), stored as its bits.
// A "block" is one element.
#pragma once

#include <cstdint>

#include "kernels/quant/block_geometry.h"

namespace inhouse::kernels {

struct BlockF16 {
    static constexpr int kBlockSize = 1;
    std::uint16_t value;
};
static_assert(sizeof(BlockF16) == block_geometry(gguf::TensorType::F16).block_size_bytes);
static_assert(BlockF16::kBlockSize == block_geometry(gguf::TensorType::F16).block_size);

namespace ref {
void dequantize_row_f16(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_f16(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are F16 too.
float dot_f16(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

}  // namespace inhouse::kernels
