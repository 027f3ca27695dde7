#include "model/layers/activation.h"

#include <cmath>

namespace inhouse::model {

namespace {

float silu(float x) { return x / (1.0f + std::exp(-x)); }

// GELU, tanh approximation (what Gemma was trained with).
float gelu_tanh(float x) {
    constexpr float kSqrt2OverPi = 0.7978845608028654f;
    return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * (x + 0.044715f * x * x * x)));
}

}  // namespace

void gated_activation(FfnActivation activation, const float* gate, const float* up, float* out,
                      std::int64_t n) noexcept {
    if (activation == FfnActivation::Silu) {
        for (std::int64_t i = 0; i < n; ++i) out[i] = silu(gate[i]) * up[i];
    } else {
        for (std::int64_t i = 0; i < n; ++i) out[i] = gelu_tanh(gate[i]) * up[i];
    }
}

}  // namespace inhouse::model
