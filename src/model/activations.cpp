#include "model/activations.h"

#include "model/layers/attention.h"

#include <algorithm>

#include "kernels/matmul.h"

namespace inhouse::model {

namespace {

std::size_t floats(std::int64_t rows, std::int64_t cols) {
    return static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
}

std::size_t largest_scratch(const Weights& w, std::int64_t n_batch) {
    std::size_t bytes = kernels::matmul_scratch_bytes(w.output.type, w.output.n_cols, n_batch);
    for (const auto& layer : w.layers) {
        for (const auto* view : {&layer.attn_q, &layer.attn_k, &layer.attn_v, &layer.attn_output,
                                 &layer.ffn_gate, &layer.ffn_up, &layer.ffn_down}) {
            bytes = std::max(bytes, kernels::matmul_scratch_bytes(view->type, view->n_cols, n_batch));
        }
    }
    return bytes;
}

}  // namespace

Activations Activations::create(const HParams& h, const Weights& w, std::int64_t n_batch_max,
                                std::int64_t n_ctx, int n_threads, std::int64_t n_outputs_max) {
    Activations a;
    a.n_batch_max = n_batch_max;
    a.n_outputs_max = n_outputs_max < 0 ? n_batch_max : std::min(n_outputs_max, n_batch_max);
    a.n_ctx = n_ctx;
    a.x.resize(floats(n_batch_max, h.n_embd));
    a.xb.resize(floats(n_batch_max, h.n_embd));
    a.q.resize(floats(n_batch_max, h.q_dim()));
    a.k.resize(floats(n_batch_max, h.k_dim()));
    a.v.resize(floats(n_batch_max, h.v_dim()));
    a.attn_out.resize(floats(n_batch_max, h.n_heads * h.head_dim_v));
    a.block_out.resize(floats(n_batch_max, h.n_embd));
    a.ffn_gate.resize(floats(n_batch_max, h.n_ff));
    a.ffn_up.resize(floats(n_batch_max, h.n_ff));
    a.scores.resize(floats(n_threads, kMaxScoreRows * n_ctx));
    a.attention_blocks.resize(static_cast<std::size_t>(n_batch_max) + 1);
    a.logits.resize(floats(a.n_outputs_max, h.n_vocab));
    a.rope_pairs = std::max(h.rope.n_dims, h.rope_swa.n_dims) / 2;
    a.rope_cos.resize(floats(2 * n_batch_max, a.rope_pairs));
    a.rope_sin.resize(floats(2 * n_batch_max, a.rope_pairs));
    a.matmul_scratch.resize(largest_scratch(w, n_batch_max));
    return a;
}

}  // namespace inhouse::model
