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

// Router: a mixture-of-experts layer's gate over its experts (never quantized).
enum class TensorRole { TokenEmbedding, Output, AttnQ, AttnK, AttnV, AttnOutput, FfnGate, FfnUp, FfnDown, Router, Vector };

// The recipes whose mix differs from "every matrix in the base type, the output in Q6_K".
enum class RecipeMix { Uniform, Q2_K, Q3_K_M, Q4_K_M, Q5_K_M };

struct QuantRecipe {
    std::string name;
    gguf::TensorType base = gguf::TensorType::F32;  // most matrices get this
    RecipeMix mix = RecipeMix::Uniform;
};

// What llama.cpp's recipes look at besides the tensor itself.
struct ModelTraits {
    std::int64_t n_layers = 0;
    std::int64_t n_heads = 0;
    std::int64_t n_kv_heads = 0;
    std::int64_t n_experts = 0;  // 0: dense
    bool tied_embeddings = false;
    bool is_70b_class = false;   // llama.cpp's LLM_TYPE_70B: 80 layers with grouped-query attention
};

// F32, F16, BF16, Q8_0, Q6_K, Q5_K_M, Q5_0, Q5_1, Q4_K_M, Q4_0, Q4_1, Q3_K_M, Q2_K
// (case-insensitive); an error lists them.
Result<QuantRecipe> find_quant_recipe(std::string_view name);

// The recipe names, in the order above, for help texts and listings.
std::string quant_recipe_names();

// The type of one tensor: `layer` for per-layer roles, `n_cols` its row length.
gguf::TensorType tensor_type_for(const QuantRecipe& recipe, const ModelTraits& model, TensorRole role,
                                 std::int64_t layer, std::int64_t n_cols);

}  // namespace inhouse::catalog
