// The tensors of a catalog shape, by GGUF name, as its architecture lays them out: what
// `inhouse synth` writes and what the planner sizes (with a recipe's types).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/model_catalog.h"
#include "catalog/quant_recipe.h"

namespace inhouse::catalog {

struct CatalogTensor {
    std::string name;
    TensorRole role = TensorRole::Vector;
    std::int64_t layer = 0;
    std::int64_t n_rows = 1;  // 1 for vectors
    std::int64_t n_cols = 0;
    float fill_value = 0;     // vectors in a synthetic file: every element (norm weights 1, biases 0)
};

// A mixture-of-experts shape has a router and the experts' matrices stacked in one tensor per
// kind (`ffn_gate_exps`: n_experts × n_ff rows), as GGUF stores them.
std::vector<CatalogTensor> tensor_layout(const ModelShape& shape);

// What the quantization recipes look at, from the shape.
ModelTraits model_traits(const ModelShape& shape);

}  // namespace inhouse::catalog
