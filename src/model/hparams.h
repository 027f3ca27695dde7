// Hyperparameters of a model, read from GGUF metadata by its architecture's loader. Everything
// that differs between architectures only as a number or a switch lives here and is consumed by
// the shared layers (model/layers), so an architecture is mostly data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "gguf/gguf_file.h"

namespace inhouse::model {

enum class RopeOrdering : std::uint8_t {
    Adjacent,  // rotate (x[2i], x[2i+1]): llama's GGUF layout
    Halves,    // rotate (x[i], x[i + d/2]): NeoX/Gemma
};

enum class FfnActivation : std::uint8_t { Silu, GeluTanh };

struct RopeParams {
    float freq_base = 10000.0f;
    float freq_scale = 1.0f;  // linear scaling: positions multiplied by this
    std::int64_t n_dims = 0;  // leading dims of each head that rotate
    RopeOrdering ordering = RopeOrdering::Adjacent;
};

struct HParams {
    std::string architecture;
    std::int64_t n_vocab = 0;
    std::int64_t n_ctx_train = 0;
    std::int64_t n_embd = 0;
    std::int64_t n_layers = 0;
    std::int64_t n_heads = 0;
    std::int64_t n_heads_kv = 0;
    std::int64_t head_dim_k = 0;
    std::int64_t head_dim_v = 0;
    std::int64_t n_ff = 0;
    float rms_eps = 1e-5f;

    RopeParams rope;      // full-attention layers
    RopeParams rope_swa;  // sliding-window layers
    std::int64_t sliding_window = 0;    // 0: no sliding-window layers
    std::vector<bool> layer_uses_swa;   // [n_layers]

    float embedding_scale = 1.0f;       // Gemma multiplies embeddings by sqrt(n_embd)
    float attention_scale = 1.0f;       // applied to q before q·k
    float attn_logit_softcap = 0.0f;    // 0: off
    float final_logit_softcap = 0.0f;   // 0: off
    bool has_qk_norm = false;           // RMSNorm on each q and k head
    bool has_post_norms = false;        // RMSNorm after attention and after the FFN
    FfnActivation ffn_activation = FfnActivation::Silu;

    std::int64_t q_dim() const { return n_heads * head_dim_k; }
    std::int64_t k_dim() const { return n_heads_kv * head_dim_k; }
    std::int64_t v_dim() const { return n_heads_kv * head_dim_v; }
};

// Reads `{arch}.{suffix}` as a positive integer; the error names the key.
Result<std::int64_t> require_arch_int(const gguf::GgufFile& file, std::string_view suffix);
// Reads `{arch}.{suffix}` as a number, or returns `fallback` when absent.
Result<float> optional_arch_float(const gguf::GgufFile& file, std::string_view suffix, float fallback);
std::int64_t optional_arch_int(const gguf::GgufFile& file, std::string_view suffix, std::int64_t fallback);

// The fields every transformer shares: sizes, heads, context, vocabulary, RMS epsilon, RoPE base
// and dimensions. Checks that they are consistent (heads divide, sizes positive, bounded).
Result<HParams> load_common_hparams(const gguf::GgufFile& file);

}  // namespace inhouse::model
