#include "model/forward.h"

#include <cmath>

#include "core/check.h"
#include "kernels/matmul.h"
#include "model/layers/activation.h"
#include "model/layers/attention.h"
#include "model/layers/norm.h"
#include "model/layers/rope.h"

namespace inhouse::model {

namespace {

using kernels::matmul;

struct Pass {
    const Model& model;
    const HParams& h;
    std::span<const BatchToken> batch;
    KvCache& cache;
    Activations& a;
    ThreadPool& pool;
    std::int64_t n() const { return static_cast<std::int64_t>(batch.size()); }
};

// rows: [n_tokens, bias.n_cols]; adds the bias to every row when the model has one.
void add_bias(const Pass& p, float* rows, const TensorView& bias) {
    if (bias.empty()) return;
    for (std::int64_t t = 0; t < p.n(); ++t) {
        float* row = rows + t * bias.n_cols;
        for (std::int64_t i = 0; i < bias.n_cols; ++i) row[i] += bias.as_f32()[i];
    }
}

void norm_rows(const Pass& p, const float* in, const TensorView& weight, float* out) {
    p.pool.parallel_for(p.n(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t) {
            rms_norm(in + t * p.h.n_embd, weight.as_f32(), out + t * p.h.n_embd, p.h.n_embd, p.h.rms_eps);
        }
    });
}

// Row `t` of RoPE configuration `config` (0: global layers, 1: sliding-window layers).
std::int64_t rope_row(const Pass& p, int config, std::int64_t t) {
    return (config * p.a.n_batch_max + t) * p.a.rope_pairs;
}

// Every token's cos/sin tables, once for all layers: the global configuration, and the
// sliding-window one when a layer uses it.
void compute_rope_tables(const Pass& p) {
    const HParams& h = p.h;
    const float* freq_factors = p.model.weights().rope_freqs.empty() ? nullptr : p.model.weights().rope_freqs.as_f32();
    bool any_swa = false;
    for (const bool swa : h.layer_uses_swa) any_swa = any_swa || swa;
    p.pool.parallel_for(p.n(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t) {
            const std::int64_t pos = p.batch[static_cast<std::size_t>(t)].pos;
            rope_angles(pos, h.rope, freq_factors, p.a.rope_cos.data() + rope_row(p, 0, t),
                        p.a.rope_sin.data() + rope_row(p, 0, t));
            if (any_swa) {
                rope_angles(pos, h.rope_swa, freq_factors, p.a.rope_cos.data() + rope_row(p, 1, t),
                            p.a.rope_sin.data() + rope_row(p, 1, t));
            }
        }
    });
}

// q, k: per-head RMSNorm (Gemma), RoPE, query scaling; then k and v go into the cache. Tokens
// are independent (each writes its own cache positions), so they split across threads.
void prepare_qkv(const Pass& p, const LayerWeights& w, std::int64_t layer) {
    const HParams& h = p.h;
    const bool swa = h.layer_uses_swa[static_cast<std::size_t>(layer)];
    const RopeParams& rope = swa ? h.rope_swa : h.rope;
    p.pool.parallel_for(p.n(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t) {
            float* q = p.a.q.data() + t * h.q_dim();
            float* k = p.a.k.data() + t * h.k_dim();
            if (h.has_qk_norm) {
                for (std::int64_t head = 0; head < h.n_heads; ++head) {
                    rms_norm(q + head * h.head_dim_k, w.attn_q_norm.as_f32(), q + head * h.head_dim_k, h.head_dim_k, h.rms_eps);
                }
                for (std::int64_t head = 0; head < h.n_heads_kv; ++head) {
                    rms_norm(k + head * h.head_dim_k, w.attn_k_norm.as_f32(), k + head * h.head_dim_k, h.head_dim_k, h.rms_eps);
                }
            }
            const BatchToken& token = p.batch[static_cast<std::size_t>(t)];
            const float* cos_table = p.a.rope_cos.data() + rope_row(p, swa ? 1 : 0, t);
            const float* sin_table = p.a.rope_sin.data() + rope_row(p, swa ? 1 : 0, t);
            apply_rope(q, h.n_heads, h.head_dim_k, rope, cos_table, sin_table);
            apply_rope(k, h.n_heads_kv, h.head_dim_k, rope, cos_table, sin_table);
            for (std::int64_t i = 0; i < h.q_dim(); ++i) q[i] *= h.attention_scale;
            const float* v = p.a.v.data() + t * h.v_dim();
            p.cache.store(layer, token.seq, token.pos, k, v);
        }
    });
}

void attention_block(const Pass& p, const LayerWeights& w, std::int64_t layer) {
    const HParams& h = p.h;
    const std::span<std::uint8_t> scratch(p.a.matmul_scratch);
    norm_rows(p, p.a.x.data(), w.attn_norm, p.a.xb.data());
    const kernels::MatmulTarget qkv[] = {{.w = &w.attn_q, .y = p.a.q.data()},
                                         {.w = &w.attn_k, .y = p.a.k.data()},
                                         {.w = &w.attn_v, .y = p.a.v.data()}};
    kernels::matmul_shared_input(qkv, p.a.xb.data(), p.n(), scratch, p.pool);
    add_bias(p, p.a.q.data(), w.attn_q_bias);
    add_bias(p, p.a.k.data(), w.attn_k_bias);
    add_bias(p, p.a.v.data(), w.attn_v_bias);
    prepare_qkv(p, w, layer);
    const int n_threads = p.pool.n_threads();
    // Work items are a token's heads that share one key/value head (loaded once for all of
    // them), split further when that leaves threads idle (one decoded token, few kv heads).
    const std::int64_t group = h.n_heads / h.n_heads_kv;
    std::int64_t heads_per_item = std::min<std::int64_t>(group, kMaxHeadsAtOnce);
    while (heads_per_item > 1 && p.n() * (h.n_heads / heads_per_item) < 2 * n_threads) heads_per_item /= 2;
    const std::int64_t items_per_block = (h.n_heads + heads_per_item - 1) / heads_per_item;
    // Runs of consecutive tokens of one sequence, in increasing position and with the same first
    // attended position, are attended together (each cached row loaded once for all of them).
    const bool swa = h.layer_uses_swa[static_cast<std::size_t>(layer)];
    const auto first_of = [&](std::int64_t t) {
        return first_attended(h, p.batch[static_cast<std::size_t>(t)].pos, swa);
    };
    const int block_limit = queries_at_once(heads_per_item);
    std::int64_t* block_start = p.a.attention_blocks.data();
    std::int64_t n_blocks = 0;
    for (std::int64_t t = 0; t < p.n(); ++t) {
        const std::int64_t start = n_blocks > 0 ? block_start[n_blocks - 1] : -1;
        const bool joins = start >= 0 && t - start < block_limit &&
                           p.batch[static_cast<std::size_t>(t)].seq == p.batch[static_cast<std::size_t>(start)].seq &&
                           p.batch[static_cast<std::size_t>(t)].pos > p.batch[static_cast<std::size_t>(t - 1)].pos &&
                           first_of(t) == first_of(start);
        if (!joins) block_start[n_blocks++] = t;
    }
    block_start[n_blocks] = p.n();
    const std::int64_t n_items = n_blocks * items_per_block;
    p.pool.parallel_for(n_threads, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t task = begin; task < end; ++task) {
            float* scores = p.a.scores.data() + task * kMaxScoreRows * p.a.n_ctx;
            for (std::int64_t item = task; item < n_items; item += n_threads) {
                const std::int64_t block = item / items_per_block;
                const std::int64_t head = (item % items_per_block) * heads_per_item;
                AttentionQuery queries[kMaxQueriesAtOnce];
                int n_queries = 0;
                for (std::int64_t t = block_start[block]; t < block_start[block + 1]; ++t) {
                    queries[n_queries++] = {.q = p.a.q.data() + t * h.q_dim(),
                                            .out = p.a.attn_out.data() + t * h.n_heads * h.head_dim_v,
                                            .pos = p.batch[static_cast<std::size_t>(t)].pos};
                }
                const BatchToken& token = p.batch[static_cast<std::size_t>(block_start[block])];
                attend(h, p.cache, layer, token.seq, first_of(block_start[block]), queries, n_queries, head,
                       std::min(h.n_heads, head + heads_per_item), scores);
            }
        }
    });
    matmul(w.attn_output, p.a.attn_out.data(), p.n(), p.a.block_out.data(), scratch, p.pool);
    if (h.has_post_norms) norm_rows(p, p.a.block_out.data(), w.post_attn_norm, p.a.block_out.data());
    for (std::size_t i = 0; i < static_cast<std::size_t>(p.n() * h.n_embd); ++i) p.a.x[i] += p.a.block_out[i];
}

void ffn_block(const Pass& p, const LayerWeights& w) {
    const HParams& h = p.h;
    const std::span<std::uint8_t> scratch(p.a.matmul_scratch);
    norm_rows(p, p.a.x.data(), w.ffn_norm, p.a.xb.data());
    const kernels::MatmulTarget gate_up[] = {{.w = &w.ffn_gate, .y = p.a.ffn_gate.data()},
                                             {.w = &w.ffn_up, .y = p.a.ffn_up.data()}};
    kernels::matmul_shared_input(gate_up, p.a.xb.data(), p.n(), scratch, p.pool);
    // Element by element: rows split across threads give the same values.
    p.pool.parallel_for(p.n(), [&](std::int64_t begin, std::int64_t end) {
        const std::int64_t offset = begin * h.n_ff;
        gated_activation(h.ffn_activation, p.a.ffn_gate.data() + offset, p.a.ffn_up.data() + offset,
                         p.a.ffn_gate.data() + offset, (end - begin) * h.n_ff);
    });
    matmul(w.ffn_down, p.a.ffn_gate.data(), p.n(), p.a.block_out.data(), scratch, p.pool);
    if (h.has_post_norms) norm_rows(p, p.a.block_out.data(), w.post_ffn_norm, p.a.block_out.data());
    for (std::size_t i = 0; i < static_cast<std::size_t>(p.n() * h.n_embd); ++i) p.a.x[i] += p.a.block_out[i];
}

// Final norm and output matrix for the tokens that want logits, gathered to the front.
std::span<const float> output_logits(const Pass& p) {
    const HParams& h = p.h;
    std::int64_t n_outputs = 0;
    for (std::int64_t t = 0; t < p.n(); ++t) {
        if (!p.batch[static_cast<std::size_t>(t)].wants_logits) continue;
        INHOUSE_CHECK(n_outputs < p.a.n_outputs_max, "batch asks for more than {} logits rows", p.a.n_outputs_max);
        rms_norm(p.a.x.data() + t * h.n_embd, p.model.weights().output_norm.as_f32(),
                 p.a.xb.data() + n_outputs * h.n_embd, h.n_embd, h.rms_eps);
        ++n_outputs;
    }
    matmul(p.model.weights().output, p.a.xb.data(), n_outputs, p.a.logits.data(),
           std::span<std::uint8_t>(p.a.matmul_scratch), p.pool);
    const std::size_t n_values = static_cast<std::size_t>(n_outputs * h.n_vocab);
    if (h.final_logit_softcap > 0) {
        for (std::size_t i = 0; i < n_values; ++i) {
            p.a.logits[i] = h.final_logit_softcap * std::tanh(p.a.logits[i] / h.final_logit_softcap);
        }
    }
    return {p.a.logits.data(), n_values};
}

}  // namespace

std::span<const float> forward(const Model& model, std::span<const BatchToken> batch, KvCache& cache,
                               Activations& activations, ThreadPool& pool) noexcept {
    const HParams& h = model.hparams();
    const Pass pass{.model = model, .h = h, .batch = batch, .cache = cache, .a = activations, .pool = pool};
    for (std::int64_t t = 0; t < pass.n(); ++t) {
        float* x = activations.x.data() + t * h.n_embd;
        kernels::get_row(model.weights().token_embd, batch[static_cast<std::size_t>(t)].token, x);
        if (h.embedding_scale != 1.0f) {
            for (std::int64_t i = 0; i < h.n_embd; ++i) x[i] *= h.embedding_scale;
        }
    }
    compute_rope_tables(pass);
    for (std::int64_t layer = 0; layer < h.n_layers; ++layer) {
        const LayerWeights& w = model.weights().layers[static_cast<std::size_t>(layer)];
        attention_block(pass, w, layer);
        ffn_block(pass, w);
    }
    return output_logits(pass);
}

}  // namespace inhouse::model
