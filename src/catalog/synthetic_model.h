// A model with random weights in the exact shape of a catalog entry and the tensor mix of a
// quantization recipe, written as GGUF: to measure speed and memory on a machine before
// downloading anything. Its text is noise; llama.cpp loads the same file (vocabulary-less,
// "no_vocab"), so both engines can be benchmarked on it.
#pragma once

#include <string>

#include "catalog/model_catalog.h"
#include "catalog/quant_recipe.h"
#include "core/result.h"

namespace inhouse::catalog {

// Streams the file to `path`; each tensor's rows are drawn from a small pool of quantized
// random rows, so writing costs about as much as copying the bytes.
Status write_synthetic_model(const ModelShape& shape, const QuantRecipe& recipe, const std::string& path);

}  // namespace inhouse::catalog
