// Qwen 2 / 2.5: the llama layout with biases on the q, k and v projections (bound by the
// shared weight binder when present) and RoPE on halves rather than adjacent pairs.
#include "model/arch/registry.h"

namespace inhouse::model {

namespace {

Result<HParams> load_qwen2_hparams(const gguf::GgufFile& file) {
    INHOUSE_ASSIGN_OR_RETURN(HParams h, load_common_hparams(file));
    h.rope.ordering = RopeOrdering::Halves;
    h.rope_swa = h.rope;
    h.ffn_activation = FfnActivation::Silu;
    return h;
}

}  // namespace

extern const ArchSpec kQwen2;
const ArchSpec kQwen2{.names = {"qwen2"}, .load_hparams = load_qwen2_hparams};

}  // namespace inhouse::model
