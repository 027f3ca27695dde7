// Rotary position embedding, applied in place to the heads of one token.
#pragma once

#include <cstdint>

#include "model/hparams.h"

namespace inhouse::model {

// heads: [n_heads, head_dim]. Rotates the first rope.n_dims dims of each head by angles
// pos · freq_scale · base^(-2i/n_dims) / freq_factors[i] (freq_factors may be null).
void apply_rope(float* heads, std::int64_t n_heads, std::int64_t head_dim, std::int64_t pos,
                const RopeParams& rope, const float* freq_factors) noexcept;

}  // namespace inhouse::model
