// Rotary position embedding. The angles depend only on the position and the RoPE parameters,
// so a forward pass computes each token's cos/sin table once and every layer (and both q and
// k) rotates with it.
#pragma once

#include <cstdint>

#include "model/hparams.h"

namespace inhouse::model {

// cos and sin of the n_dims/2 angles pos · freq_scale · base^(-2i/n_dims) / freq_factors[i]
// (freq_factors may be null), each computed in double and rounded to float.
void rope_angles(std::int64_t pos, const RopeParams& rope, const float* freq_factors, float* cos_out,
                 float* sin_out) noexcept;

// heads: [n_heads, head_dim]. Rotates the first rope.n_dims dims of each head in place by the
// angles of rope_angles, in the pairing rope.ordering gives.
void apply_rope(float* heads, std::int64_t n_heads, std::int64_t head_dim, const RopeParams& rope,
                const float* cos_table, const float* sin_table) noexcept;

}  // namespace inhouse::model
