// What the planner knows about a model before anyone loads it: its tensors (type and bytes)
// and the hyperparameters that size the KV cache and the compute buffers. From a GGUF file
// only the header is read (the mapping is never touched past it, so a 40 GB file costs
// nothing), or from a catalog shape and a quantization recipe, tensor by tensor as llama.cpp
// would quantize it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/model_catalog.h"
#include "catalog/quant_recipe.h"
#include "core/result.h"
#include "gguf/gguf_file.h"
#include "gguf/tensor_type.h"

namespace inhouse::plan {

struct PlannedTensor {
    std::string name;
    gguf::TensorType type = gguf::TensorType::F32;
    std::uint64_t n_elements = 0;
    std::uint64_t bytes = 0;
    bool is_expert = false;  // one of a mixture-of-experts layer's expert matrices
};

struct ModelSpec {
    std::string name;          // as the user named it, or the file's general.name
    std::string architecture;  // GGUF architecture
    std::string quantization;  // recipe name, or "as stored" for a file
    std::int64_t n_layers = 0;
    std::int64_t n_embd = 0;
    std::int64_t n_heads = 0;
    std::int64_t n_kv_heads = 0;
    std::int64_t head_dim_k = 0;
    std::int64_t head_dim_v = 0;
    std::int64_t n_ff = 0;
    std::int64_t n_vocab = 0;
    std::int64_t n_ctx_train = 0;
    std::int64_t sliding_window = 0;      // 0: every layer attends to the whole context
    std::vector<bool> layer_uses_swa;     // [n_layers]
    std::int64_t n_experts = 0;           // 0: dense
    std::int64_t n_experts_used = 0;
    std::vector<PlannedTensor> tensors;

    std::uint64_t weight_bytes() const;
    std::uint64_t parameter_count() const;
    // Parameters one token passes through: all but the unused experts (dense: all).
    std::uint64_t active_parameter_count() const;
};

// From a GGUF header: any architecture with the usual `{arch}.*` keys, not only those inhouse
// runs. An error names the missing or bad key.
Result<ModelSpec> spec_from_gguf(const gguf::GgufFile& file);

// From the catalog: the shape's tensors with the types `recipe` gives them.
ModelSpec spec_from_catalog(const catalog::ModelShape& shape, const catalog::QuantRecipe& recipe);

}  // namespace inhouse::plan
