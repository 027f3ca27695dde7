#include "model/layers/norm.h"

#include <cmath>

namespace inhouse::model {

void rms_norm(const float* x, const float* weight, float* out, std::int64_t n, float eps) noexcept {
    double sum_squares = 0;  // double: long rows of large activations lose bits in float
    for (std::int64_t i = 0; i < n; ++i) sum_squares += static_cast<double>(x[i]) * x[i];
    const float scale = 1.0f / std::sqrt(static_cast<float>(sum_squares / static_cast<double>(n)) + eps);
    for (std::int64_t i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
}

}  // namespace inhouse::model
