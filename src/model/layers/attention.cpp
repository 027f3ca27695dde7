#include "model/layers/attention.h"

#include "model/layers/softmax.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>

namespace inhouse::model {

namespace {

// Σ a[i]·b[i] in 16 interleaved partial sums and a fixed pairwise reduction: the compiler
// can vectorize it without reordering anything (a plain sum loop stays one scalar chain).
float dot_16_lanes(const float* a, const float* b, std::int64_t n) noexcept {
    float lanes[16] = {};
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int l = 0; l < 16; ++l) lanes[l] += a[i + l] * b[i + l];
    }
    float tail = 0;
    for (; i < n; ++i) tail += a[i] * b[i];
    for (int width = 8; width >= 1; width /= 2) {
        for (int l = 0; l < width; ++l) lanes[l] += lanes[l + width];
    }
    return lanes[0] + tail;
}

}  // namespace

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
            float score = dot_16_lanes(q, k, h.head_dim_k);
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
