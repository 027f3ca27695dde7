// The model's weights, bound by name as views into the mapped GGUF file and checked against the
// shapes the hyperparameters imply; Model::load then points most views at its own copies
// (interleaved matrices, norms: model/model.h). Immutable once loaded.
#pragma once

#include <vector>

#include "core/result.h"
#include "gguf/gguf_file.h"
#include "kernels/tensor_view.h"
#include "model/hparams.h"

namespace inhouse::model {

using kernels::TensorView;

struct LayerWeights {
    TensorView attn_norm;       // [n_embd]
    TensorView attn_q;          // [q_dim, n_embd]
    TensorView attn_k;          // [k_dim, n_embd]
    TensorView attn_v;          // [v_dim, n_embd]
    TensorView attn_q_bias;     // [q_dim], optional (Qwen2)
    TensorView attn_k_bias;     // [k_dim], optional
    TensorView attn_v_bias;     // [v_dim], optional
    TensorView attn_output;     // [n_embd, n_heads * head_dim_v]
    TensorView attn_q_norm;     // [head_dim_k]  (has_qk_norm)
    TensorView attn_k_norm;     // [head_dim_k]  (has_qk_norm)
    TensorView post_attn_norm;  // [n_embd]      (has_post_norms)
    TensorView ffn_norm;        // [n_embd]
    TensorView ffn_gate;        // [n_ff, n_embd]
    TensorView ffn_up;          // [n_ff, n_embd]
    TensorView ffn_down;        // [n_embd, n_ff]
    TensorView post_ffn_norm;   // [n_embd]      (has_post_norms)
};

struct Weights {
    TensorView token_embd;   // [n_vocab, n_embd]
    TensorView output_norm;  // [n_embd]
    TensorView output;       // [n_vocab, n_embd]; token_embd when the model ties them
    TensorView rope_freqs;   // [rope.n_dims / 2], optional per-frequency divisors (Llama 3)
    std::vector<LayerWeights> layers;
};

// The matrices the forward pass multiplies by (each layer's projections, then the output),
// for re-laying them out at load time (kernels/interleave.h).
std::vector<TensorView*> matmul_weights(Weights& weights);

// The 1-D F32 tensors (norm weights, biases, RoPE divisors) that are present.
std::vector<TensorView*> vector_weights(Weights& weights);

// Binds every tensor the hyperparameters call for. Errors name the tensor: "missing tensor
// 'blk.3.attn_q.weight'", or "tensor 'x' has shape [a, b], expected [c, d]", or a type that
// cannot be computed on.
Result<Weights> bind_weights(const gguf::GgufFile& file, const HParams& hparams);

}  // namespace inhouse::model
