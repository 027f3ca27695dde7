// Gemma 3 (text): embeddings scaled by sqrt(n_embd), RMSNorm before and after both attention
// and the FFN, RMSNorm on every q and k head, GELU-gated FFN, RoPE on halves, and layers that
// interleave sliding-window attention (local RoPE base) with full attention (global base):
// every `pattern`-th layer is global.
#include <cmath>

#include "model/arch/registry.h"

namespace inhouse::model {

namespace {

constexpr std::int64_t kDefaultSwaPattern = 6;
constexpr float kDefaultSwaFreqBase = 10000.0f;

Status load_swa_layers(const gguf::GgufFile& file, HParams& h) {
    const auto key = fmt::format("{}.attention.sliding_window_pattern", file.architecture());
    if (const auto* pattern = file.get_array(key)) {
        if (pattern->n_elements != static_cast<std::uint64_t>(h.n_layers) ||
            pattern->element_type != gguf::ValueType::Bool) {
            return make_error(ErrorCode::InvalidFormat, "{}: '{}' must be {} bools", file.label(),
                              key, h.n_layers);
        }
        for (std::int64_t layer = 0; layer < h.n_layers; ++layer) {
            h.layer_uses_swa[static_cast<std::size_t>(layer)] =
                *pattern->element(static_cast<std::uint64_t>(layer)).as_bool();
        }
        return {};
    }
    const std::int64_t period = optional_arch_int(file, "attention.sliding_window_pattern", kDefaultSwaPattern);
    if (period <= 0) {
        return make_error(ErrorCode::InvalidFormat, "{}: '{}' must be positive", file.label(), key);
    }
    for (std::int64_t layer = 0; layer < h.n_layers; ++layer) {
        h.layer_uses_swa[static_cast<std::size_t>(layer)] = layer % period < period - 1;
    }
    return {};
}

Result<HParams> load_gemma3_hparams(const gguf::GgufFile& file) {
    INHOUSE_ASSIGN_OR_RETURN(HParams h, load_common_hparams(file));
    h.rope.ordering = RopeOrdering::Halves;
    h.rope_swa = h.rope;
    h.rope_swa.freq_scale = 1.0f;
    INHOUSE_ASSIGN_OR_RETURN(h.rope_swa.freq_base,
                             optional_arch_float(file, "rope.freq_base_swa", kDefaultSwaFreqBase));
    h.sliding_window = optional_arch_int(file, "attention.sliding_window", 0);
    if (h.sliding_window > 0) INHOUSE_RETURN_IF_ERROR(load_swa_layers(file, h));
    h.embedding_scale = std::sqrt(static_cast<float>(h.n_embd));
    // Gemma 3 27B scales queries by the model width per head; the others by the head size.
    const bool is_27b = h.n_layers == 62;
    h.attention_scale = 1.0f / std::sqrt(static_cast<float>(is_27b ? h.n_embd / h.n_heads : h.head_dim_k));
    INHOUSE_ASSIGN_OR_RETURN(h.final_logit_softcap, optional_arch_float(file, "final_logit_softcapping", 0.0f));
    h.has_qk_norm = true;
    h.has_post_norms = true;
    h.ffn_activation = FfnActivation::GeluTanh;
    return h;
}

}  // namespace

extern const ArchSpec kGemma3;
const ArchSpec kGemma3{.names = {"gemma3"}, .load_hparams = load_gemma3_hparams};

}  // namespace inhouse::model
