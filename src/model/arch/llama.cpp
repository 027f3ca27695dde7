// Llama 2/3, Mistral, SmolLM2 and other models stored with general.architecture = "llama":
// pre-norm RMSNorm, RoPE on adjacent pairs (the GGUF converter permutes Q/K for it), grouped-
// query attention, SwiGLU feed-forward, output matrix tied to the embeddings when absent.
#include "model/arch/registry.h"

namespace inhouse::model {

namespace {

Result<HParams> load_llama_hparams(const gguf::GgufFile& file) {
    INHOUSE_ASSIGN_OR_RETURN(HParams h, load_common_hparams(file));
    h.rope.ordering = RopeOrdering::Adjacent;
    h.rope_swa = h.rope;
    h.ffn_activation = FfnActivation::Silu;
    // Mistral-style sliding windows apply to every layer when present.
    h.sliding_window = optional_arch_int(file, "attention.sliding_window", 0);
    h.layer_uses_swa.assign(static_cast<std::size_t>(h.n_layers), h.sliding_window > 0);
    return h;
}

}  // namespace

extern const ArchSpec kLlama;
const ArchSpec kLlama{.names = {"llama", "mistral"}, .load_hparams = load_llama_hparams};

}  // namespace inhouse::model
