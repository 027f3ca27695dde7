// Causal self-attention of tokens over their sequence's cached keys and values, with grouped-
// query heads and an optional sliding window. Several tokens of one sequence are computed
// together so that each cached key and value row is loaded once for all of them (a prompt's
// tokens would otherwise each read the whole cache again); every token's result is the same
// as when it is computed alone.
#pragma once

#include <cstdint>

#include "model/hparams.h"
#include "model/kv_cache.h"

namespace inhouse::model {

struct AttentionQuery {
    const float* q;        // [n_heads, head_dim_k], already scaled by attention_scale
    float* out;            // [n_heads, head_dim_v]
    std::int64_t pos;      // attends to cached positions ≤ pos
};

// Query heads that share a key/value head are computed up to this many at a time, and tokens
// of a sequence up to kMaxQueriesAtOnce, so that heads × tokens ≤ kMaxScoreRows.
inline constexpr int kMaxHeadsAtOnce = 4;
inline constexpr int kMaxQueriesAtOnce = 8;
inline constexpr int kMaxScoreRows = 8;

// How many tokens to compute together when `heads` heads are: a power of two.
inline constexpr int queries_at_once(std::int64_t heads) noexcept {
    int queries = 1;
    while (2 * queries * heads <= kMaxScoreRows) queries *= 2;
    return queries;
}

// The first cached position `pos` attends to: 0, or the start of its sliding window.
std::int64_t first_attended(const HParams& hparams, std::int64_t pos, bool uses_sliding_window) noexcept;

// Heads [head_begin, head_end) of up to queries_at_once(heads per key/value head) tokens of
// sequence `seq` in `layer`, in increasing pos, all with the same first_attended position
// `first`. Only those heads' rows of each token's out are written. scores: scratch of at
// least kMaxScoreRows · (largest pos − first + 1) floats.
void attend(const HParams& hparams, const KvCache& cache, std::int64_t layer, std::int64_t seq, std::int64_t first,
            const AttentionQuery* queries, int n_queries, std::int64_t head_begin, std::int64_t head_end,
            float* scores) noexcept;

}  // namespace inhouse::model
