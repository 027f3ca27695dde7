#include "catalog/quant_recipe.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace inhouse::catalog {

namespace {

using gguf::TensorType;

const std::array kRecipes = {
    QuantRecipe{.name = "F32", .base = TensorType::F32, .mix = RecipeMix::Uniform},
    QuantRecipe{.name = "F16", .base = TensorType::F16, .mix = RecipeMix::Uniform},
    QuantRecipe{.name = "BF16", .base = TensorType::BF16, .mix = RecipeMix::Uniform},
    QuantRecipe{.name = "Q8_0", .base = TensorType::Q8_0, .mix = RecipeMix::Uniform},
    QuantRecipe{.name = "Q6_K", .base = TensorType::Q6_K, .mix = RecipeMix::Uniform},
    QuantRecipe{.name = "Q5_K_M", .base = TensorType::Q5_K, .mix = RecipeMix::Q5_K_M},
    QuantRecipe{.name = "Q5_0", .base = TensorType::Q5_0, .mix = RecipeMix::Uniform},
    QuantRecipe{.name = "Q5_1", .base = TensorType::Q5_1, .mix = RecipeMix::Uniform},
    QuantRecipe{.name = "Q4_K_M", .base = TensorType::Q4_K, .mix = RecipeMix::Q4_K_M},
    QuantRecipe{.name = "Q4_0", .base = TensorType::Q4_0, .mix = RecipeMix::Uniform},
    QuantRecipe{.name = "Q4_1", .base = TensorType::Q4_1, .mix = RecipeMix::Uniform},
    QuantRecipe{.name = "Q3_K_M", .base = TensorType::Q3_K, .mix = RecipeMix::Q3_K_M},
    QuantRecipe{.name = "Q2_K", .base = TensorType::Q2_K, .mix = RecipeMix::Q2_K},
};

bool is_float(TensorType type) { return type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16; }

// llama.cpp's use_more_bits: the first and last eighth of the layers and every third between.
bool uses_more_bits(std::int64_t layer, std::int64_t n_layers) {
    return layer < n_layers / 8 || layer >= 7 * n_layers / 8 || (layer - n_layers / 8) % 3 == 2;
}

// K-quant rows must hold whole 256-element super-blocks; llama.cpp falls back like this.
TensorType fallback_for_row_length(TensorType type, std::int64_t n_cols) {
    if (n_cols % 256 == 0) return type;
    switch (type) {
        case TensorType::Q2_K:
        case TensorType::Q3_K: return TensorType::Q4_0;
        case TensorType::Q4_K: return TensorType::Q5_0;
        case TensorType::Q5_K: return TensorType::Q5_1;
        case TensorType::Q6_K: return TensorType::Q8_0;
        default: return type;
    }
}

TensorType output_type(TensorType base, std::int64_t n_cols) {
    if (is_float(base) || base == TensorType::Q8_0) return base;
    return n_cols % 256 == 0 ? TensorType::Q6_K : TensorType::Q8_0;
}

TensorType attn_v_type(const QuantRecipe& recipe, const ModelTraits& model, std::int64_t layer) {
    TensorType type = recipe.base;
    const std::int64_t gqa = model.n_kv_heads > 0 ? model.n_heads / model.n_kv_heads : 1;
    switch (recipe.mix) {
        case RecipeMix::Q2_K: type = gqa >= 4 ? TensorType::Q4_K : TensorType::Q3_K; break;
        case RecipeMix::Q3_K_M: type = layer < 2 ? TensorType::Q5_K : TensorType::Q4_K; break;
        case RecipeMix::Q4_K_M:
        case RecipeMix::Q5_K_M:
            if (uses_more_bits(layer, model.n_layers)) type = TensorType::Q6_K;
            break;
        case RecipeMix::Uniform: break;
    }
    // 70B shares each V head among 8 query heads: a few more bits cost almost nothing.
    if (model.is_70b_class && (type == TensorType::Q3_K || type == TensorType::Q4_K)) type = TensorType::Q5_K;
    if (model.n_experts == 8) type = TensorType::Q8_0;
    return type;
}

TensorType ffn_down_type(const QuantRecipe& recipe, const ModelTraits& model, std::int64_t layer) {
    switch (recipe.mix) {
        case RecipeMix::Q2_K: return TensorType::Q3_K;
        case RecipeMix::Q3_K_M: return layer < model.n_layers / 16 ? TensorType::Q5_K : TensorType::Q4_K;
        case RecipeMix::Q4_K_M:
        case RecipeMix::Q5_K_M: return uses_more_bits(layer, model.n_layers) ? TensorType::Q6_K : recipe.base;
        case RecipeMix::Uniform: return recipe.base;
    }
    return recipe.base;
}

TensorType attn_output_type(const QuantRecipe& recipe, const ModelTraits& model) {
    if (model.n_experts == 8) {
        const bool bumped = recipe.mix == RecipeMix::Q2_K || recipe.mix == RecipeMix::Q3_K_M ||
                            recipe.mix == RecipeMix::Q4_K_M;
        return bumped ? TensorType::Q5_K : recipe.base;
    }
    if (recipe.mix == RecipeMix::Q2_K) return TensorType::Q3_K;
    if (recipe.mix == RecipeMix::Q3_K_M) return TensorType::Q4_K;
    return recipe.base;
}

}  // namespace

Result<QuantRecipe> find_quant_recipe(std::string_view name) {
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    for (const auto& recipe : kRecipes) {
        if (recipe.name == upper) return recipe;
    }
    return make_error(ErrorCode::InvalidArgument, "unknown quantization '{}' (known: {})", name, quant_recipe_names());
}

std::string quant_recipe_names() {
    std::string names;
    for (const auto& recipe : kRecipes) names += (names.empty() ? "" : ", ") + recipe.name;
    return names;
}

TensorType tensor_type_for(const QuantRecipe& recipe, const ModelTraits& model, TensorRole role, std::int64_t layer,
                           std::int64_t n_cols) {
    if (role == TensorRole::Vector || role == TensorRole::Router) return TensorType::F32;
    if (is_float(recipe.base)) return recipe.base;
    const bool is_output = role == TensorRole::Output || (model.tied_embeddings && role == TensorRole::TokenEmbedding);
    if (is_output) return output_type(recipe.base, n_cols);
    TensorType type = recipe.base;
    switch (role) {
        case TensorRole::AttnV: type = attn_v_type(recipe, model, layer); break;
        case TensorRole::AttnK:
            if (model.n_experts == 8) type = TensorType::Q8_0;
            break;
        case TensorRole::FfnDown: type = ffn_down_type(recipe, model, layer); break;
        case TensorRole::AttnOutput: type = attn_output_type(recipe, model); break;
        default: break;
    }
    return fallback_for_row_length(type, n_cols);
}

}  // namespace inhouse::catalog
