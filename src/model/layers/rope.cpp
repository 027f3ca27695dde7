#include "model/layers/rope.h"

#include <cmath>

namespace inhouse::model {

void rope_angles(std::int64_t pos, const RopeParams& rope, const float* freq_factors, float* cos_out,
                 float* sin_out) noexcept {
    const std::int64_t n_pairs = rope.n_dims / 2;
    const double position = static_cast<double>(pos) * rope.freq_scale;
    for (std::int64_t i = 0; i < n_pairs; ++i) {
        double theta = position * std::pow(static_cast<double>(rope.freq_base),
                                           -2.0 * static_cast<double>(i) / static_cast<double>(rope.n_dims));
        if (freq_factors != nullptr) theta /= freq_factors[i];
        cos_out[i] = static_cast<float>(std::cos(theta));
        sin_out[i] = static_cast<float>(std::sin(theta));
    }
}

void apply_rope(float* heads, std::int64_t n_heads, std::int64_t head_dim, const RopeParams& rope,
                const float* cos_table, const float* sin_table) noexcept {
    const std::int64_t n_pairs = rope.n_dims / 2;
    const bool adjacent = rope.ordering == RopeOrdering::Adjacent;
    for (std::int64_t head = 0; head < n_heads; ++head) {
        float* x = heads + head * head_dim;
        for (std::int64_t i = 0; i < n_pairs; ++i) {
            const std::int64_t first = adjacent ? 2 * i : i;
            const std::int64_t second = adjacent ? 2 * i + 1 : i + n_pairs;
            const float a = x[first];
            const float b = x[second];
            x[first] = a * cos_table[i] - b * sin_table[i];
            x[second] = a * sin_table[i] + b * cos_table[i];
        }
    }
}

}  // namespace inhouse::model
