// Compute-peak probes, one per SIMD level (peak_probe_x86.cpp, peak_probe_amx.cpp). Each runs `iterations` rounds
// of register-only multiply-adds and returns how many it did.
#pragma once

#include <cstdint>

namespace inhouse::kernels {
namespace avx2 {
std::int64_t int8_multiply_adds(std::int64_t iterations) noexcept;
std::int64_t f32_multiply_adds(std::int64_t iterations) noexcept;
}  // namespace avx2
namespace avx512 {
std::int64_t int8_multiply_adds(std::int64_t iterations) noexcept;
std::int64_t f32_multiply_adds(std::int64_t iterations) noexcept;
}  // namespace avx512
namespace amx {
std::int64_t int8_multiply_adds(std::int64_t iterations) noexcept;  // tile products
}  // namespace amx
}  // namespace inhouse::kernels
