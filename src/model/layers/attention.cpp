#include "model/layers/attention.h"

#include "model/layers/lane_sum.h"
#include "model/layers/softmax.h"

#include <algorithm>
#include <cstdint>
#include <cmath>

namespace inhouse::model {


void attend(const HParams& h, const KvCache& cache, const AttentionQuery& query, std::int64_t head_begin,
            std::int64_t head_end, float* scores, float* out) noexcept {
    // A sliding-window layer sees the last `sliding_window` positions, itself included.
    const std::int64_t first = query.uses_sliding_window && h.sliding_window > 0
                                   ? std::max<std::int64_t>(0, query.pos - h.sliding_window + 1)
                                   : 0;
    const std::int64_t n_positions = query.pos - first + 1;
    const std::int64_t group = h.n_heads / h.n_heads_kv;
    for (std::int64_t head = head_begin; head < head_end; ++head) {
        const std::int64_t kv_head = head / group;
        const float* q = query.q + head * h.head_dim_k;
        float max_score = -INFINITY;
        for (std::int64_t i = 0; i < n_positions; ++i) {
            const float* k = cache.keys(query.layer, query.seq, first + i) + kv_head * h.head_dim_k;
            float score = sum_in_16_lanes(h.head_dim_k, [&](std::int64_t d) { return q[d] * k[d]; });
            if (h.attn_logit_softcap > 0) {
                score = h.attn_logit_softcap * std::tanh(score / h.attn_logit_softcap);
            }
            scores[i] = score;
            max_score = std::max(max_score, score);
        }
        const float inverse_sum = 1.0f / exponentiate(scores, n_positions, max_score);
        float* o = out + head * h.head_dim_v;
        std::fill(o, o + h.head_dim_v, 0.0f);
        for (std::int64_t i = 0; i < n_positions; ++i) {
            const float weight = scores[i] * inverse_sum;
            const float* v = cache.values(query.layer, query.seq, first + i) + kv_head * h.head_dim_v;
            for (std::int64_t d = 0; d < h.head_dim_v; ++d) o[d] += weight * v[d];
        }
    }
}

}  // namespace inhouse::model
