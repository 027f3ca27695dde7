#include "model/hparams.h"

#include <cmath>

namespace inhouse::model {

namespace {

// Bounds that no real model approaches; past them a header is lying and would make us allocate
// absurd buffers.
constexpr std::int64_t kMaxDim = 1 << 20;
constexpr std::int64_t kMaxLayers = 1024;
constexpr std::int64_t kMaxContext = 1 << 24;

std::string key_of(const gguf::GgufFile& file, std::string_view suffix) {
    return fmt::format("{}.{}", file.architecture(), suffix);
}

Status check_range(const gguf::GgufFile& file, std::string_view what, std::int64_t value,
                   std::int64_t max) {
    if (value <= 0 || value > max) {
        return make_error(ErrorCode::InvalidFormat, "{}: {} is {}, expected 1..{}", file.label(),
                          what, value, max);
    }
    return {};
}

}  // namespace

Result<std::int64_t> require_arch_int(const gguf::GgufFile& file, std::string_view suffix) {
    const auto key = key_of(file, suffix);
    const gguf::Value* value = file.find(key);
    if (value == nullptr) {
        return make_error(ErrorCode::InvalidFormat, "{}: required key '{}' is missing", file.label(), key);
    }
    const auto number = value->as_int();
    if (!number || *number <= 0) {
        return make_error(ErrorCode::InvalidFormat, "{}: key '{}' must be a positive integer",
                          file.label(), key);
    }
    return *number;
}

Result<float> optional_arch_float(const gguf::GgufFile& file, std::string_view suffix, float fallback) {
    const auto key = key_of(file, suffix);
    const gguf::Value* value = file.find(key);
    if (value == nullptr) return fallback;
    const auto number = value->as_float();
    if (!number || !std::isfinite(*number)) {
        return make_error(ErrorCode::InvalidFormat, "{}: key '{}' must be a finite number",
                          file.label(), key);
    }
    return static_cast<float>(*number);
}

std::int64_t optional_arch_int(const gguf::GgufFile& file, std::string_view suffix, std::int64_t fallback) {
    const gguf::Value* value = file.find(key_of(file, suffix));
    const auto number = value ? value->as_int() : std::nullopt;
    return number.value_or(fallback);
}

Result<HParams> load_common_hparams(const gguf::GgufFile& file) {
    HParams h;
    h.architecture = std::string(file.architecture());
    INHOUSE_ASSIGN_OR_RETURN(h.n_ctx_train, require_arch_int(file, "context_length"));
    INHOUSE_ASSIGN_OR_RETURN(h.n_embd, require_arch_int(file, "embedding_length"));
    INHOUSE_ASSIGN_OR_RETURN(h.n_layers, require_arch_int(file, "block_count"));
    INHOUSE_ASSIGN_OR_RETURN(h.n_heads, require_arch_int(file, "attention.head_count"));
    INHOUSE_ASSIGN_OR_RETURN(h.n_ff, require_arch_int(file, "feed_forward_length"));
    h.n_heads_kv = optional_arch_int(file, "attention.head_count_kv", h.n_heads);
    INHOUSE_RETURN_IF_ERROR(check_range(file, "embedding_length", h.n_embd, kMaxDim));
    INHOUSE_RETURN_IF_ERROR(check_range(file, "feed_forward_length", h.n_ff, kMaxDim));
    INHOUSE_RETURN_IF_ERROR(check_range(file, "block_count", h.n_layers, kMaxLayers));
    INHOUSE_RETURN_IF_ERROR(check_range(file, "context_length", h.n_ctx_train, kMaxContext));
    INHOUSE_RETURN_IF_ERROR(check_range(file, "attention.head_count", h.n_heads, h.n_embd));
    INHOUSE_RETURN_IF_ERROR(check_range(file, "attention.head_count_kv", h.n_heads_kv, h.n_heads));
    if (h.n_heads % h.n_heads_kv != 0) {
        return make_error(ErrorCode::InvalidFormat,
                          "{}: attention.head_count {} is not a multiple of head_count_kv {}",
                          file.label(), h.n_heads, h.n_heads_kv);
    }
    h.head_dim_k = optional_arch_int(file, "attention.key_length", h.n_embd / h.n_heads);
    h.head_dim_v = optional_arch_int(file, "attention.value_length", h.head_dim_k);
    INHOUSE_RETURN_IF_ERROR(check_range(file, "attention.key_length", h.head_dim_k, 4096));
    INHOUSE_RETURN_IF_ERROR(check_range(file, "attention.value_length", h.head_dim_v, 4096));
    INHOUSE_ASSIGN_OR_RETURN(h.rms_eps, optional_arch_float(file, "attention.layer_norm_rms_epsilon", 1e-5f));
    INHOUSE_ASSIGN_OR_RETURN(h.rope.freq_base, optional_arch_float(file, "rope.freq_base", 10000.0f));
    h.rope.n_dims = optional_arch_int(file, "rope.dimension_count", h.head_dim_k);
    if (h.rope.n_dims <= 0 || h.rope.n_dims > h.head_dim_k || h.rope.n_dims % 2 != 0) {
        return make_error(ErrorCode::InvalidFormat,
                          "{}: rope.dimension_count {} must be even and at most the head size {}",
                          file.label(), h.rope.n_dims, h.head_dim_k);
    }
    if (file.get_string(key_of(file, "rope.scaling.type")).value_or("none") == "linear") {
        INHOUSE_ASSIGN_OR_RETURN(const float factor, optional_arch_float(file, "rope.scaling.factor", 1.0f));
        if (factor <= 0) {
            return make_error(ErrorCode::InvalidFormat, "{}: rope.scaling.factor must be positive",
                              file.label());
        }
        h.rope.freq_scale = 1.0f / factor;
    }
    h.rope_swa = h.rope;
    h.layer_uses_swa.assign(static_cast<std::size_t>(h.n_layers), false);
    h.attention_scale = 1.0f / std::sqrt(static_cast<float>(h.head_dim_k));
    const auto* tokens = file.get_array("tokenizer.ggml.tokens");
    h.n_vocab = optional_arch_int(file, "vocab_size", tokens ? static_cast<std::int64_t>(tokens->n_elements) : 0);
    INHOUSE_RETURN_IF_ERROR(check_range(file, "vocabulary size", h.n_vocab, 1 << 24));
    return h;
}

}  // namespace inhouse::model
