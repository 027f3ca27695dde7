// Gated FFN activations: out[i] = act(gate[i]) · up[i].
#pragma once

#include <cstdint>

#include "model/hparams.h"

namespace inhouse::model {

void gated_activation(FfnActivation activation, const float* gate, const float* up, float* out,
                      std::int64_t n) noexcept;

}  // namespace inhouse::model
