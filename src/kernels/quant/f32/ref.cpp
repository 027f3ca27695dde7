// F32 reference kernels: copies, and a float dot product. This file is the specification.
#include <cstring>

#include "core/check.h"
#include "kernels/quant/f32/block.h"
#include "kernels/quant/int8_dot.h"

namespace inhouse::kernels::ref {

void dequantize_row_f32(const void* src, float* dst, std::int64_t n) noexcept {
    std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(float));
}

void quantize_row_f32(const float* src, void* dst, std::int64_t n) noexcept {
    std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(float));
}

float dot_f32(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    INHOUSE_DCHECK(n >= 0, "negative row length {}", n);
    return dot_in_float_lanes(static_cast<const float*>(weight_row),
                              static_cast<const float*>(activation_row), n,
                              [](float value) { return value; });
}

}  // namespace inhouse::kernels::ref
