#include "model/layers/norm.h"

#include <cmath>

namespace inhouse::model {

void rms_norm(const float* x, const float* weight, float* out, std::int64_t n, float eps) noexcept {
    // double: long rows of large activations lose bits in float. Eight running sums, not one:
    // a single chain waits out an add's latency per element (serial time in every decode
    // step while the other threads wait); double keeps either order's error far below float's.
    constexpr int kSums = 8;
    double sums[kSums] = {};
    std::int64_t i = 0;
    for (; i + kSums <= n; i += kSums) {
        for (int k = 0; k < kSums; ++k) sums[k] += static_cast<double>(x[i + k]) * x[i + k];
    }
    for (; i < n; ++i) sums[0] += static_cast<double>(x[i]) * x[i];
    double sum_squares = 0;
    for (const double sum : sums) sum_squares += sum;
    const float scale = 1.0f / std::sqrt(static_cast<float>(sum_squares / static_cast<double>(n)) + eps);
    for (i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
}

}  // namespace inhouse::model
