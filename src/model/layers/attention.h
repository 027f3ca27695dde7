// Causal self-attention of one token over its sequence's cached keys and values, with grouped-
// query heads and an optional sliding window.
#pragma once

#include <cstdint>

#include "model/hparams.h"
#include "model/kv_cache.h"

namespace inhouse::model {

struct AttentionQuery {
    const float* q;        // [n_heads, head_dim_k], already scaled by attention_scale
    std::int64_t layer;
    std::int64_t seq;
    std::int64_t pos;      // attends to cached positions ≤ pos of `seq`
    bool uses_sliding_window;
};

// Query heads that share a key/value head are computed up to this many at a time.
inline constexpr int kMaxHeadsAtOnce = 4;

// Heads [head_begin, head_end) of one token. out: [n_heads, head_dim_v] (only those heads'
// rows are written); scores: scratch of at least kMaxHeadsAtOnce · (pos + 1) floats.
void attend(const HParams& hparams, const KvCache& cache, const AttentionQuery& query, std::int64_t head_begin,
            std::int64_t head_end, float* scores, float* out) noexcept;

}  // namespace inhouse::model
