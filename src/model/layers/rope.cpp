#include "model/layers/rope.h"

#include <cmath>

namespace inhouse::model {

void apply_rope(float* heads, std::int64_t n_heads, std::int64_t head_dim, std::int64_t pos,
                const RopeParams& rope, const float* freq_factors) noexcept {
    const std::int64_t n_pairs = rope.n_dims / 2;
    const double position = static_cast<double>(pos) * rope.freq_scale;
    for (std::int64_t i = 0; i < n_pairs; ++i) {
        double theta = position * std::pow(static_cast<double>(rope.freq_base),
                                           -2.0 * static_cast<double>(i) / static_cast<double>(rope.n_dims));
        if (freq_factors != nullptr) theta /= freq_factors[i];
        const auto cos_theta = static_cast<float>(std::cos(theta));
        const auto sin_theta = static_cast<float>(std::sin(theta));
        const std::int64_t first = rope.ordering == RopeOrdering::Adjacent ? 2 * i : i;
        const std::int64_t second = rope.ordering == RopeOrdering::Adjacent ? 2 * i + 1 : i + n_pairs;
        for (std::int64_t head = 0; head < n_heads; ++head) {
            float* x = heads + head * head_dim;
            const float a = x[first];
            const float b = x[second];
            x[first] = a * cos_theta - b * sin_theta;
            x[second] = a * sin_theta + b * cos_theta;
        }
    }
}

}  // namespace inhouse::model
