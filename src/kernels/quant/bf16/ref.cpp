// BF16 reference kernels: conversions rounding to nearest-even (kernels/fp16.h), and a dot
// product of two BF16 rows accumulated in float. This file is the specification.
#include "kernels/fp16.h"
#include "kernels/quant/bf16/block.h"
#include "kernels/quant/int8_dot.h"

namespace inhouse::kernels::ref {

void dequantize_row_bf16(const void* src, float* dst, std::int64_t n) noexcept {
    const auto* bits = static_cast<const std::uint16_t*>(src);
    for (std::int64_t i = 0; i < n; ++i) dst[i] = bf16_to_fp32(bits[i]);
}

void quantize_row_bf16(const float* src, void* dst, std::int64_t n) noexcept {
    auto* bits = static_cast<std::uint16_t*>(dst);
    for (std::int64_t i = 0; i < n; ++i) bits[i] = fp32_to_bf16(src[i]);
}

float dot_bf16(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    return dot_in_float_lanes(static_cast<const std::uint16_t*>(weight_row),
                              static_cast<const std::uint16_t*>(activation_row), n,
                              [](std::uint16_t bits) { return bf16_to_fp32(bits); });
}

}  // namespace inhouse::kernels::ref
