// RMSNorm: out = x / sqrt(mean(x²) + eps) · weight.
#pragma once

#include <cstdint>

namespace inhouse::model {

// x, out: [n]; weight: [n]. out may alias x.
void rms_norm(const float* x, const float* weight, float* out, std::int64_t n, float eps) noexcept;

}  // namespace inhouse::model
