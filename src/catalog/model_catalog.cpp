#include "catalog/model_catalog.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "catalog/catalog_data.h"
#include "core/check.h"

namespace inhouse::catalog {

namespace {

ModelShape parse_shape(const nlohmann::json& entry) {
    ModelShape shape;
    shape.name = entry.at("name").get<std::string>();
    shape.display = entry.at("display").get<std::string>();
    shape.architecture = entry.at("architecture").get<std::string>();
    shape.synthesize_as = entry.value("synthesize_as", shape.architecture);
    shape.n_embd = entry.at("n_embd").get<std::int64_t>();
    shape.n_layers = entry.at("n_layers").get<std::int64_t>();
    shape.n_heads = entry.at("n_heads").get<std::int64_t>();
    shape.n_kv_heads = entry.at("n_kv_heads").get<std::int64_t>();
    shape.head_dim = entry.at("head_dim").get<std::int64_t>();
    shape.n_ff = entry.at("n_ff").get<std::int64_t>();
    shape.n_vocab = entry.at("n_vocab").get<std::int64_t>();
    shape.n_ctx_train = entry.at("n_ctx_train").get<std::int64_t>();
    shape.rope_theta = entry.at("rope_theta").get<double>();
    shape.rope_theta_swa = entry.value("rope_theta_swa", 0.0);
    shape.rms_eps = entry.at("rms_eps").get<double>();
    shape.tied_embeddings = entry.at("tied_embeddings").get<bool>();
    shape.sliding_window = entry.value("sliding_window", std::int64_t{0});
    shape.sliding_window_pattern = entry.value("sliding_window_pattern", std::int64_t{0});
    shape.n_experts = entry.value("n_experts", std::int64_t{0});
    shape.n_experts_used = entry.value("n_experts_used", std::int64_t{0});
    if (entry.contains("llama3_rope_scaling")) {
        const auto& scaling = entry["llama3_rope_scaling"];
        shape.llama3_rope_scaling = Llama3RopeScaling{.factor = scaling.at("factor").get<double>(),
                                                      .low_freq_factor = scaling.at("low_freq_factor").get<double>(),
                                                      .high_freq_factor = scaling.at("high_freq_factor").get<double>(),
                                                      .original_context = scaling.at("original_context").get<std::int64_t>()};
    }
    shape.source = entry.at("source").get<std::string>();
    return shape;
}

const std::vector<ModelShape>& shapes() {
    static const std::vector<ModelShape> kShapes = [] {
        // The catalog is part of the binary; a malformed one is a build defect, caught by
        // the catalog tests, never user input.
        const auto json = nlohmann::json::parse(model_catalog_json());
        std::vector<ModelShape> parsed;
        for (const auto& entry : json.at("models")) parsed.push_back(parse_shape(entry));
        return parsed;
    }();
    return kShapes;
}

}  // namespace

std::int64_t ModelShape::parameter_count() const {
    const std::int64_t q_dim = n_heads * head_dim;
    const std::int64_t kv_dim = n_kv_heads * head_dim;
    const std::int64_t attention = n_embd * q_dim + 2 * n_embd * kv_dim + q_dim * n_embd;
    // A mixture-of-experts layer holds n_experts FFNs and a router over them.
    const std::int64_t ffn = n_experts > 0 ? n_experts * 3 * n_embd * n_ff + n_experts * n_embd : 3 * n_embd * n_ff;
    const std::int64_t norms = (architecture == "gemma3" ? 4 * n_embd + 2 * head_dim : 2 * n_embd);
    const std::int64_t biases = architecture == "qwen2" ? q_dim + 2 * kv_dim : 0;
    const std::int64_t embeddings = n_vocab * n_embd * (tied_embeddings ? 1 : 2);
    return n_layers * (attention + ffn + norms + biases) + embeddings + n_embd;
}

std::span<const ModelShape> model_catalog() { return shapes(); }

Result<const ModelShape*> find_model_shape(std::string_view name) {
    std::string names;
    for (const auto& shape : shapes()) {
        if (shape.name == name) return &shape;
        names += (names.empty() ? "" : ", ") + shape.name;
    }
    return make_error(ErrorCode::NotFound, "no model shape named '{}' in the catalog (there are: {})", name, names);
}

}  // namespace inhouse::catalog
