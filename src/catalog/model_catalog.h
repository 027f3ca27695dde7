// The catalog of well-known model shapes (data/catalog/models.json, compiled into the
// binary): what `inhouse synth` builds and what the planner sizes, by lowercase name.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace inhouse::catalog {

struct Llama3RopeScaling {
    double factor = 0;
    double low_freq_factor = 0;
    double high_freq_factor = 0;
    std::int64_t original_context = 0;
};

struct ModelShape {
    std::string name;          // e.g. "llama-2-7b"
    std::string display;       // e.g. "Llama 2 7B"
    std::string architecture;  // the model's own (GGUF) architecture
    std::string synthesize_as; // the architecture inhouse builds it as (same tensor shapes)
    std::int64_t n_embd = 0;
    std::int64_t n_layers = 0;
    std::int64_t n_heads = 0;
    std::int64_t n_kv_heads = 0;
    std::int64_t head_dim = 0;
    std::int64_t n_ff = 0;
    std::int64_t n_vocab = 0;
    std::int64_t n_ctx_train = 0;
    double rope_theta = 0;
    double rope_theta_swa = 0;  // Gemma 3's local layers
    double rms_eps = 0;
    bool tied_embeddings = false;
    std::int64_t sliding_window = 0;          // 0: none
    std::int64_t sliding_window_pattern = 0;  // every n-th layer global
    std::int64_t n_experts = 0;               // 0: dense FFN
    std::int64_t n_experts_used = 0;          // experts each token goes through
    std::optional<Llama3RopeScaling> llama3_rope_scaling;
    std::string source;

    // Parameters in the weight tensors (norms included), from the shape alone.
    std::int64_t parameter_count() const;
};

std::span<const ModelShape> model_catalog();

// The shape named `name`, or an error listing the names there are.
Result<const ModelShape*> find_model_shape(std::string_view name);

}  // namespace inhouse::catalog
