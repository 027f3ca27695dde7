#include "model/layers/activation.h"

#include <cmath>

#include "model/layers/softmax.h"

namespace inhouse::model {

namespace {

float silu(float x) { return x / (1.0f + fast_exp(-x)); }

// GELU, tanh approximation (what Gemma was trained with): ½x(1 + tanh u) = x / (1 + e^(−2u)),
// which needs only an exponential and stays exact in both tails.
float gelu_tanh(float x) {
    constexpr float kSqrt2OverPi = 0.7978845608028654f;
    const float u = kSqrt2OverPi * (x + 0.044715f * x * x * x);
    return x / (1.0f + fast_exp(-2.0f * u));
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
