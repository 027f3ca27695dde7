// Quantization recipes by llama.cpp's names (Q4_K_M, Q8_0, …): which tensor type each tensor
// of a model gets. Mirrors llama.cpp's llama_tensor_get_type for the recipes listed, so that
// a synthetic model (and the planner's size estimate) has the real files' per-tensor mix.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "gguf/tensor_type.h"

namespace inhouse::catalog {

enum class TensorRole { TokenEmbedding, Output, AttnQ, AttnK, AttnV, AttnOutput, FfnGate, FfnUp, FfnDown, Vector };

struct QuantRecipe {
    std::string name;
    gguf::TensorType base = gguf::TensorType::F32;  // most matrices get this
    bool more_bits_mix = false;                     // the _M recipes: some attn_v/ffn_down in Q6_K
};

// F32, F16, BF16, Q8_0, Q6_K, Q5_0, Q5_1, Q4_0, Q4_1, Q5_K_M, Q4_K_M (case-insensitive); an
// error lists them.
Result<QuantRecipe> find_quant_recipe(std::string_view name);

// The type of one tensor: `layer` of `n_layers` for per-layer roles, `n_cols` its row length.
gguf::TensorType tensor_type_for(const QuantRecipe& recipe, TensorRole role, std::int64_t layer,
                                 std::int64_t n_layers, std::int64_t n_cols, bool tied_embeddings);

}  // namespace inhouse::catalog
