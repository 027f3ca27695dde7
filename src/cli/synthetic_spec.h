// SHAPE:QUANT arguments (`llama-2-7b:Q4_K_M`) of `inhouse synth` and `inhouse bench --synthetic`.
#pragma once

#include <string>

#include "catalog/model_catalog.h"
#include "catalog/quant_recipe.h"
#include "core/result.h"

namespace inhouse::cli {

struct SyntheticSpec {
    const catalog::ModelShape* shape = nullptr;
    catalog::QuantRecipe recipe;
};

Result<SyntheticSpec> parse_synthetic_spec(const std::string& text);

}  // namespace inhouse::cli
