#include "catalog/quant_recipe.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace inhouse::catalog {

namespace {

using gguf::TensorType;

const std::array kRecipes = {
    QuantRecipe{.name = "F32", .base = TensorType::F32, .more_bits_mix = false},
    QuantRecipe{.name = "F16", .base = TensorType::F16, .more_bits_mix = false},
    QuantRecipe{.name = "BF16", .base = TensorType::BF16, .more_bits_mix = false},
    QuantRecipe{.name = "Q8_0", .base = TensorType::Q8_0, .more_bits_mix = false},
    QuantRecipe{.name = "Q6_K", .base = TensorType::Q6_K, .more_bits_mix = false},
    QuantRecipe{.name = "Q5_0", .base = TensorType::Q5_0, .more_bits_mix = false},
    QuantRecipe{.name = "Q5_1", .base = TensorType::Q5_1, .more_bits_mix = false},
    QuantRecipe{.name = "Q4_0", .base = TensorType::Q4_0, .more_bits_mix = false},
    QuantRecipe{.name = "Q4_1", .base = TensorType::Q4_1, .more_bits_mix = false},
    QuantRecipe{.name = "Q5_K_M", .base = TensorType::Q5_K, .more_bits_mix = true},
    QuantRecipe{.name = "Q4_K_M", .base = TensorType::Q4_K, .more_bits_mix = true},
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
        case TensorType::Q4_K: return TensorType::Q5_0;
        case TensorType::Q5_K: return TensorType::Q5_1;
        case TensorType::Q6_K: return TensorType::Q8_0;
        default: return type;
    }
}

}  // namespace

Result<QuantRecipe> find_quant_recipe(std::string_view name) {
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    std::string names;
    for (const auto& recipe : kRecipes) {
        if (recipe.name == upper) return recipe;
        names += (names.empty() ? "" : ", ") + recipe.name;
    }
    return make_error(ErrorCode::InvalidArgument, "unknown quantization '{}' (known: {})", name, names);
}

TensorType tensor_type_for(const QuantRecipe& recipe, TensorRole role, std::int64_t layer, std::int64_t n_layers,
                           std::int64_t n_cols, bool tied_embeddings) {
    if (role == TensorRole::Vector) return TensorType::F32;
    TensorType type = recipe.base;
    const bool is_output = role == TensorRole::Output || (tied_embeddings && role == TensorRole::TokenEmbedding);
    if (is_output) {
        if (!is_float(type) && type != TensorType::Q8_0) type = n_cols % 256 == 0 ? TensorType::Q6_K : TensorType::Q8_0;
        return type;
    }
    if (recipe.more_bits_mix && (role == TensorRole::AttnV || role == TensorRole::FfnDown) &&
        uses_more_bits(layer, n_layers)) {
        type = TensorType::Q6_K;
    }
    return fallback_for_row_length(type, n_cols);
}

}  // namespace inhouse::catalog
