// Scratch buffers of a forward pass, allocated once for the largest batch: the forward pass
// itself never allocates.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "model/hparams.h"
#include "model/weights.h"

namespace inhouse::model {

struct Activations {
    // n_outputs_max: how many tokens of a batch may ask for logits (1 for plain generation; the
    // [n_outputs_max, n_vocab] logits buffer is the largest activation for big vocabularies).
    static Activations create(const HParams& hparams, const Weights& weights, std::int64_t n_batch_max,
                              std::int64_t n_ctx, int n_threads, std::int64_t n_outputs_max = -1);

    std::int64_t n_batch_max = 0;
    std::int64_t n_outputs_max = 0;
    std::int64_t n_ctx = 0;
    std::vector<float> x;          // [n_batch, n_embd] residual stream
    std::vector<float> xb;         // [n_batch, n_embd] normed input of a block
    std::vector<float> q;          // [n_batch, q_dim]
    std::vector<float> k;          // [n_batch, k_dim]
    std::vector<float> v;          // [n_batch, v_dim]
    std::vector<float> attn_out;   // [n_batch, n_heads * head_dim_v]
    std::vector<float> block_out;  // [n_batch, n_embd] output of attention or FFN
    std::vector<float> ffn_gate;   // [n_batch, n_ff]
    std::vector<float> ffn_up;     // [n_batch, n_ff]
    std::vector<float> scores;     // [n_threads, kMaxScoreRows · n_ctx] attention weights
    std::vector<std::int64_t> attention_blocks;  // [n_batch + 1] first token of each run attended together
    std::vector<float> logits;     // [n_outputs_max, n_vocab]
    // Each token's RoPE cos/sin, computed once per forward pass: [2 configurations (global,
    // sliding window), n_batch, rope_pairs] each.
    std::int64_t rope_pairs = 0;
    std::vector<float> rope_cos;
    std::vector<float> rope_sin;
    std::vector<std::uint8_t> matmul_scratch;  // quantized activation rows
};

}  // namespace inhouse::model
