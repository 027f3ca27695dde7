#include "model/layers/attention.h"

#include <algorithm>
#include <cmath>

namespace inhouse::model {

void attend(const HParams& h, const KvCache& cache, const AttentionQuery& query, float* scores,
            float* out) noexcept {
    // A sliding-window layer sees the last `sliding_window` positions, itself included.
    const std::int64_t first = query.uses_sliding_window && h.sliding_window > 0
                                   ? std::max<std::int64_t>(0, query.pos - h.sliding_window + 1)
                                   : 0;
    const std::int64_t n_positions = query.pos - first + 1;
    const std::int64_t group = h.n_heads / h.n_heads_kv;
    for (std::int64_t head = 0; head < h.n_heads; ++head) {
        const std::int64_t kv_head = head / group;
        const float* q = query.q + head * h.head_dim_k;
        float max_score = -INFINITY;
        for (std::int64_t i = 0; i < n_positions; ++i) {
            const float* k = cache.keys(query.layer, query.seq, first + i) + kv_head * h.head_dim_k;
            float score = 0;
            for (std::int64_t d = 0; d < h.head_dim_k; ++d) score += q[d] * k[d];
            if (h.attn_logit_softcap > 0) {
                score = h.attn_logit_softcap * std::tanh(score / h.attn_logit_softcap);
            }
            scores[i] = score;
            max_score = std::max(max_score, score);
        }
        double sum = 0;
        for (std::int64_t i = 0; i < n_positions; ++i) {
            scores[i] = std::exp(scores[i] - max_score);
            sum += scores[i];
        }
        const auto inverse_sum = static_cast<float>(1.0 / sum);
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
