#include "plan/model_spec.h"

#include "catalog/tensor_layout.h"
#include "kernels/quant_table.h"
#include "model/arch/registry.h"
#include "model/hparams.h"

namespace inhouse::plan {

namespace {

bool is_expert_tensor(std::string_view name) { return name.find("_exps") != std::string_view::npos; }

void copy_hparams(const model::HParams& h, ModelSpec& spec) {
    spec.architecture = h.architecture;
    spec.n_layers = h.n_layers;
    spec.n_embd = h.n_embd;
    spec.n_heads = h.n_heads;
    spec.n_kv_heads = h.n_heads_kv;
    spec.head_dim_k = h.head_dim_k;
    spec.head_dim_v = h.head_dim_v;
    spec.n_ff = h.n_ff;
    spec.n_vocab = h.n_vocab;
    spec.n_ctx_train = h.n_ctx_train;
    spec.sliding_window = h.sliding_window;
    spec.layer_uses_swa = h.layer_uses_swa;
    spec.layer_uses_swa.resize(static_cast<std::size_t>(h.n_layers), false);
}

}  // namespace

std::uint64_t ModelSpec::weight_bytes() const {
    std::uint64_t total = 0;
    for (const auto& tensor : tensors) total += tensor.bytes;
    return total;
}

std::uint64_t ModelSpec::parameter_count() const {
    std::uint64_t total = 0;
    for (const auto& tensor : tensors) total += tensor.n_elements;
    return total;
}

std::uint64_t ModelSpec::active_parameter_count() const {
    std::uint64_t dense = 0;
    std::uint64_t experts = 0;
    for (const auto& tensor : tensors) (tensor.is_expert ? experts : dense) += tensor.n_elements;
    if (n_experts <= 0 || experts == 0) return dense + experts;
    return dense + experts / static_cast<std::uint64_t>(n_experts) * static_cast<std::uint64_t>(n_experts_used);
}

Result<ModelSpec> spec_from_gguf(const gguf::GgufFile& file) {
    ModelSpec spec;
    // An architecture inhouse runs knows its own layout (Gemma's sliding-window pattern);
    // any other is read through the keys every transformer shares.
    const auto known = model::find_architecture(file);
    model::HParams h;
    if (known.ok()) {
        INHOUSE_ASSIGN_OR_RETURN(h, (*known)->load_hparams(file));
    } else {
        INHOUSE_ASSIGN_OR_RETURN(h, model::load_common_hparams(file));
    }
    copy_hparams(h, spec);
    spec.name = std::string(file.get_string("general.name").value_or(file.label()));
    spec.quantization = "as stored";
    spec.n_experts = model::optional_arch_int(file, "expert_count", 0);
    spec.n_experts_used = model::optional_arch_int(file, "expert_used_count", 0);
    for (const auto& info : file.tensors()) {
        spec.tensors.push_back({.name = std::string(info.name),
                                .type = info.type,
                                .n_elements = info.n_elements,
                                .bytes = info.size_bytes,
                                .is_expert = is_expert_tensor(info.name)});
    }
    return spec;
}

ModelSpec spec_from_catalog(const catalog::ModelShape& shape, const catalog::QuantRecipe& recipe) {
    ModelSpec spec;
    spec.name = shape.display;
    spec.architecture = shape.architecture;
    spec.quantization = recipe.name;
    spec.n_layers = shape.n_layers;
    spec.n_embd = shape.n_embd;
    spec.n_heads = shape.n_heads;
    spec.n_kv_heads = shape.n_kv_heads;
    spec.head_dim_k = shape.head_dim;
    spec.head_dim_v = shape.head_dim;
    spec.n_ff = shape.n_ff;
    spec.n_vocab = shape.n_vocab;
    spec.n_ctx_train = shape.n_ctx_train;
    spec.sliding_window = shape.sliding_window;
    spec.layer_uses_swa.assign(static_cast<std::size_t>(shape.n_layers), false);
    if (shape.sliding_window > 0 && shape.sliding_window_pattern > 0) {
        // Every sliding_window_pattern-th layer is global, the others slide (Gemma 3).
        for (std::int64_t layer = 0; layer < shape.n_layers; ++layer) {
            spec.layer_uses_swa[static_cast<std::size_t>(layer)] =
                layer % shape.sliding_window_pattern < shape.sliding_window_pattern - 1;
        }
    }
    spec.n_experts = shape.n_experts;
    spec.n_experts_used = shape.n_experts_used;
    const catalog::ModelTraits traits = catalog::model_traits(shape);
    for (const auto& tensor : catalog::tensor_layout(shape)) {
        const gguf::TensorType type = catalog::tensor_type_for(recipe, traits, tensor.role, tensor.layer, tensor.n_cols);
        spec.tensors.push_back({.name = tensor.name,
                                .type = type,
                                .n_elements = static_cast<std::uint64_t>(tensor.n_rows * tensor.n_cols),
                                .bytes = kernels::row_size_bytes(type, tensor.n_cols) *
                                         static_cast<std::uint64_t>(tensor.n_rows),
                                .is_expert = is_expert_tensor(tensor.name)});
    }
    return spec;
}

}  // namespace inhouse::plan
