#include "model/layers/attention.h"

#include "model/layers/lane_sum.h"
#include "model/layers/softmax.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace inhouse::model {

namespace {

// Sixteen floats as one value: element-wise arithmetic on it is exactly that of the 16-lane
// sums of lane_sum.h, and the compiler keeps several of them in vector registers, which it
// does not do for arrays indexed in loops.
using Lanes16 = float __attribute__((vector_size(64)));

inline Lanes16 load16(const float* p) noexcept {
    Lanes16 v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}

inline float reduce16(Lanes16 v, float tail) noexcept {
    float lanes[16];
    std::memcpy(lanes, &v, sizeof(lanes));
    for (int width = 8; width >= 1; width /= 2) {
        for (int l = 0; l < width; ++l) lanes[l] += lanes[l + width];
    }
    return lanes[0] + tail;
}

// Heads [head, head + G) share one key/value head: each cached key and value row is loaded
// once for all of them. Each head's score is the 16-lane sum of sum_in_16_lanes and each
// output element one multiply-add per position in position order, so results do not depend
// on G.
template <int G>
void attend_heads(const HParams& h, const KvCache& cache, const AttentionQuery& query, std::int64_t head,
                  std::int64_t first, std::int64_t n_positions, float* scores, float* out) noexcept {
    const std::int64_t kv_head = head / (h.n_heads / h.n_heads_kv);
    const std::int64_t dim_k = h.head_dim_k;
    const std::int64_t dim_v = h.head_dim_v;
    const float* q = query.q + head * dim_k;
    float max_score[G];
    std::fill(max_score, max_score + G, -INFINITY);
    for (std::int64_t i = 0; i < n_positions; ++i) {
        const float* k = cache.keys(query.layer, query.seq, first + i) + kv_head * dim_k;
        Lanes16 lanes[G] = {};
        std::int64_t d = 0;
        for (; d + 16 <= dim_k; d += 16) {
            const Lanes16 k16 = load16(k + d);
            for (int g = 0; g < G; ++g) lanes[g] += load16(q + g * dim_k + d) * k16;
        }
        for (int g = 0; g < G; ++g) {
            float tail = 0;
            for (std::int64_t e = d; e < dim_k; ++e) tail += q[g * dim_k + e] * k[e];
            float score = reduce16(lanes[g], tail);
            if (h.attn_logit_softcap > 0) score = h.attn_logit_softcap * std::tanh(score / h.attn_logit_softcap);
            scores[g * n_positions + i] = score;
            max_score[g] = std::max(max_score[g], score);
        }
    }
    for (int g = 0; g < G; ++g) {
        float* weights = scores + g * n_positions;
        const float inverse_sum = 1.0f / exponentiate(weights, n_positions, max_score[g]);
        for (std::int64_t i = 0; i < n_positions; ++i) weights[i] *= inverse_sum;
    }
    // Σ_i weight_i · v_i, 32 output elements of every head at a time, held in registers
    // across all positions.
    float* o = out + head * dim_v;
    const auto value_row = [&](std::int64_t i) { return cache.values(query.layer, query.seq, first + i) + kv_head * dim_v; };
    std::int64_t d = 0;
    for (; d + 32 <= dim_v; d += 32) {
        Lanes16 low[G] = {};
        Lanes16 high[G] = {};
        for (std::int64_t i = 0; i < n_positions; ++i) {
            const float* v = value_row(i) + d;
            const Lanes16 v_low = load16(v);
            const Lanes16 v_high = load16(v + 16);
            for (int g = 0; g < G; ++g) {
                const float weight = scores[g * n_positions + i];
                low[g] += weight * v_low;
                high[g] += weight * v_high;
            }
        }
        for (int g = 0; g < G; ++g) {
            std::memcpy(o + g * dim_v + d, &low[g], sizeof(Lanes16));
            std::memcpy(o + g * dim_v + d + 16, &high[g], sizeof(Lanes16));
        }
    }
    for (; d < dim_v; ++d) {
        for (int g = 0; g < G; ++g) {
            float sum = 0;
            for (std::int64_t i = 0; i < n_positions; ++i) sum += scores[g * n_positions + i] * value_row(i)[d];
            o[g * dim_v + d] = sum;
        }
    }
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
    std::int64_t head = head_begin;
    while (head < head_end) {
        const std::int64_t group_end = std::min(head_end, (head / group + 1) * group);
        const std::int64_t count = std::min<std::int64_t>(kMaxHeadsAtOnce, group_end - head);
        switch (count) {
            case 4: attend_heads<4>(h, cache, query, head, first, n_positions, scores, out); break;
            case 3: attend_heads<3>(h, cache, query, head, first, n_positions, scores, out); break;
            case 2: attend_heads<2>(h, cache, query, head, first, n_positions, scores, out); break;
            default: attend_heads<1>(h, cache, query, head, first, n_positions, scores, out); break;
        }
        head += count;
    }
}

}  // namespace inhouse::model
