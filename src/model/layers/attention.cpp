#include "model/layers/attention.h"

#include "model/layers/lane_sum.h"
#include "model/layers/softmax.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/fp16.h"

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

// Sixteen cached halves (an F16 cache) as floats: exact, so attention's arithmetic is that of
// an F32 cache holding the same values.
inline Lanes16 load16(const std::uint16_t* p) noexcept {
    float floats[16];
    kernels::fp16_to_fp32_16(p, floats);
    return load16(floats);
}

inline float to_float(float value) noexcept { return value; }
inline float to_float(std::uint16_t half) noexcept { return kernels::fp16_to_fp32(half); }

inline float reduce16(Lanes16 v, float tail) noexcept {
    float lanes[16];
    std::memcpy(lanes, &v, sizeof(lanes));
    for (int width = 8; width >= 1; width /= 2) {
        for (int l = 0; l < width; ++l) lanes[l] += lanes[l + width];
    }
    return lanes[0] + tail;
}

using Indices16 = std::int32_t __attribute__((vector_size(64)));

// reduce16 of sixteen vectors at once, lane n of the result that of v[n], by the same additions
// in the same order: each step adds lanes `width` apart within every vector, and packs two
// vectors' halves into one so that the steps cost 15 vector additions instead of 240 scalar ones.
inline Lanes16 reduce16_each(Lanes16 (&v)[16]) noexcept {
    // Width 8: lanes 0-7 + 8-15 of v[2k] into lanes 0-7 of v[k], those of v[2k + 1] into 8-15.
    for (int k = 0; k < 8; ++k) {
        v[k] = __builtin_shuffle(v[2 * k], v[2 * k + 1], Indices16{0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23}) +
               __builtin_shuffle(v[2 * k], v[2 * k + 1], Indices16{8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31});
    }
    // Width 4: each group of eight lanes to four, four original vectors per vector.
    for (int k = 0; k < 4; ++k) {
        v[k] = __builtin_shuffle(v[2 * k], v[2 * k + 1], Indices16{0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27}) +
               __builtin_shuffle(v[2 * k], v[2 * k + 1], Indices16{4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31});
    }
    // Width 2: groups of four to two.
    for (int k = 0; k < 2; ++k) {
        v[k] = __builtin_shuffle(v[2 * k], v[2 * k + 1], Indices16{0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29}) +
               __builtin_shuffle(v[2 * k], v[2 * k + 1], Indices16{2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31});
    }
    // Width 1: pairs to one lane each, in the order of v.
    return __builtin_shuffle(v[0], v[1], Indices16{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}) +
           __builtin_shuffle(v[0], v[1], Indices16{1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31});
}

// Heads [head, head + G) share one key/value head, and J tokens are computed together: each
// cached key and value row (of Element: float, or half bits converted exactly) is loaded once
// for all of them. Each head's score is the 16-lane sum of sum_in_16_lanes and each output
// element one multiply-add per position in position order, so a token's results depend
// neither on G nor on J nor on the other tokens. Queries
// come in increasing pos; positions past a token's own are skipped for it.
template <class Element, int G, int J>
void attend_heads(const HParams& h, const KvCache& cache, std::int64_t layer, std::int64_t seq, std::int64_t first,
                  const AttentionQuery* queries, std::int64_t head, float* scores) noexcept {
    const std::int64_t kv_head = head / (h.n_heads / h.n_heads_kv);
    const std::int64_t dim_k = h.head_dim_k;
    const std::int64_t dim_v = h.head_dim_v;
    std::int64_t n_positions[J];
    for (int j = 0; j < J; ++j) n_positions[j] = queries[j].pos - first + 1;
    const std::int64_t n_rows = n_positions[J - 1];  // the longest: scores rows are this long
    const std::int64_t n_shared = n_positions[0];    // positions every token attends to
    const auto score_row = [&](int j, int g) { return scores + (j * G + g) * n_rows; };
    float max_score[J][G];
    for (auto& row : max_score) std::fill(row, row + G, -INFINITY);
    // A raw score of token j, head g at position i: soft-capped, stored, and the row's maximum kept.
    const auto record_score = [&](int j, int g, std::int64_t i, float score) {
        if (h.attn_logit_softcap > 0) score = h.attn_logit_softcap * std::tanh(score / h.attn_logit_softcap);
        score_row(j, g)[i] = score;
        max_score[j][g] = std::max(max_score[j][g], score);
    };
    const auto score_position = [&](std::int64_t i, int j_begin) {
        const Element* k = cache.keys<Element>(layer, seq, first + i, kv_head);
        Lanes16 lanes[J][G] = {};
        std::int64_t d = 0;
        for (; d + 16 <= dim_k; d += 16) {
            const Lanes16 k16 = load16(k + d);
            for (int j = j_begin; j < J; ++j) {
                const float* q = queries[j].q + head * dim_k;
                for (int g = 0; g < G; ++g) lanes[j][g] += load16(q + g * dim_k + d) * k16;
            }
        }
        for (int j = j_begin; j < J; ++j) {
            const float* q = queries[j].q + head * dim_k;
            for (int g = 0; g < G; ++g) {
                float tail = 0;
                for (std::int64_t e = d; e < dim_k; ++e) tail += q[g * dim_k + e] * to_float(k[e]);
                record_score(j, g, i, reduce16(lanes[j][g], tail));
            }
        }
    };
    // Several tokens (a prompt): up to sixteen scores at once (P positions × J tokens × G heads
    // ≤ 16 vectors) where every token sees the positions, so the chains of multiply-adds
    // overlap, and reduce16_each sums them as reduce16 does (with the zero tail it adds). Prompt
    // attention at depth 512 took a third fewer cycles; one token's took 4–15% more, so it
    // keeps one position at a time.
    static_assert(J * G <= 8);
    constexpr int kPositionsAtOnce = 16 / (J * G);
    const auto score_positions_at_once = [&](std::int64_t i) {
        constexpr int P = kPositionsAtOnce;
        const Element* k[P];
        for (int p = 0; p < P; ++p) k[p] = cache.keys<Element>(layer, seq, first + i + p, kv_head);
        Lanes16 lanes[16] = {};
        for (std::int64_t d = 0; d < dim_k; d += 16) {
            for (int p = 0; p < P; ++p) {
                const Lanes16 k16 = load16(k[p] + d);
                for (int j = 0; j < J; ++j) {
                    const float* q = queries[j].q + head * dim_k;
                    for (int g = 0; g < G; ++g) lanes[(p * J + j) * G + g] += load16(q + g * dim_k + d) * k16;
                }
            }
        }
        const Lanes16 sums = reduce16_each(lanes) + Lanes16{};
        float values[16];
        std::memcpy(values, &sums, sizeof(values));
        for (int p = 0; p < P; ++p) {
            for (int j = 0; j < J; ++j) {
                for (int g = 0; g < G; ++g) {
                    record_score(j, g, i + p, values[(p * J + j) * G + g]);
                }
            }
        }
    };
    // The tokens after the first see a few more positions (their own predecessors in the block).
    const auto first_token_seeing = [&](std::int64_t i) {
        int j = 0;
        while (n_positions[j] <= i) ++j;
        return j;
    };
    std::int64_t position = 0;
    if (J > 1 && dim_k % 16 == 0) {
        for (; position + kPositionsAtOnce <= n_shared; position += kPositionsAtOnce) score_positions_at_once(position);
    }
    for (; position < n_shared; ++position) score_position(position, 0);
    for (; position < n_rows; ++position) score_position(position, first_token_seeing(position));
    for (int j = 0; j < J; ++j) {
        for (int g = 0; g < G; ++g) {
            float* weights = score_row(j, g);
            const float inverse_sum = 1.0f / exponentiate(weights, n_positions[j], max_score[j][g]);
            for (std::int64_t i = 0; i < n_positions[j]; ++i) weights[i] *= inverse_sum;
        }
    }
    // Σ_i weight_i · v_i, kVectors · 16 output elements of every head and token at a time, held
    // in registers across all positions: as many as the registers allow, so that one token's
    // head reads each value row whole, once (a row read in 32-float slices is fetched from
    // memory four times over for head_dim 128). Each element is one multiply-add per position
    // in position order whatever the slice, so the width cannot change a result.
    const auto value_row = [&](std::int64_t i) { return cache.values<Element>(layer, seq, first + i, kv_head); };
    std::int64_t d = 0;
    const auto accumulate_values = [&]<int kVectors>() {
        for (; d + 16 * kVectors <= dim_v; d += 16 * kVectors) {
            Lanes16 sums[J][G][kVectors] = {};
            const auto add_position = [&](std::int64_t i, int j_begin) {
                const Element* v = value_row(i) + d;
                Lanes16 v16[kVectors];
                for (int c = 0; c < kVectors; ++c) v16[c] = load16(v + 16 * c);
                for (int j = j_begin; j < J; ++j) {
                    for (int g = 0; g < G; ++g) {
                        const float weight = score_row(j, g)[i];
                        for (int c = 0; c < kVectors; ++c) sums[j][g][c] += weight * v16[c];
                    }
                }
            };
            for (std::int64_t i = 0; i < n_shared; ++i) add_position(i, 0);
            for (std::int64_t i = n_shared; i < n_rows; ++i) add_position(i, first_token_seeing(i));
            for (int j = 0; j < J; ++j) {
                float* o = queries[j].out + head * dim_v;
                for (int g = 0; g < G; ++g) {
                    std::memcpy(o + g * dim_v + d, &sums[j][g], sizeof(sums[j][g]));
                }
            }
        }
    };
    // Sixteen registers of sums at most (AVX-512 has 32): 128 elements for one head and token.
    accumulate_values.template operator()<(J * G >= 4 ? 2 : 8 / (J * G))>();
    accumulate_values.template operator()<2>();
    for (; d < dim_v; ++d) {
        for (int j = 0; j < J; ++j) {
            float* o = queries[j].out + head * dim_v;
            for (int g = 0; g < G; ++g) {
                float sum = 0;
                for (std::int64_t i = 0; i < n_positions[j]; ++i) sum += score_row(j, g)[i] * to_float(value_row(i)[d]);
                o[g * dim_v + d] = sum;
            }
        }
    }
}

// n_queries is a power of two with G · n_queries ≤ kMaxScoreRows.
template <class Element, int G>
void attend_queries(const HParams& h, const KvCache& cache, std::int64_t layer, std::int64_t seq, std::int64_t first,
                    const AttentionQuery* queries, int n_queries, std::int64_t head, float* scores) noexcept {
    if constexpr (G * 8 <= kMaxScoreRows) {
        if (n_queries == 8) return attend_heads<Element, G, 8>(h, cache, layer, seq, first, queries, head, scores);
    }
    if constexpr (G * 4 <= kMaxScoreRows) {
        if (n_queries == 4) return attend_heads<Element, G, 4>(h, cache, layer, seq, first, queries, head, scores);
    }
    if constexpr (G * 2 <= kMaxScoreRows) {
        if (n_queries == 2) return attend_heads<Element, G, 2>(h, cache, layer, seq, first, queries, head, scores);
    }
    attend_heads<Element, G, 1>(h, cache, layer, seq, first, queries, head, scores);
}

template <class Element>
void attend_elements(const HParams& h, const KvCache& cache, std::int64_t layer, std::int64_t seq, std::int64_t first,
                     const AttentionQuery* queries, int n_queries, std::int64_t head_begin, std::int64_t head_end,
                     float* scores) noexcept {
    const std::int64_t group = h.n_heads / h.n_heads_kv;
    std::int64_t head = head_begin;
    while (head < head_end) {
        const std::int64_t group_end = std::min(head_end, (head / group + 1) * group);
        const std::int64_t count = std::min<std::int64_t>(kMaxHeadsAtOnce, group_end - head);
        // More tokens than fit with `count` heads go in turns, a power of two at a time.
        for (int done = 0; done < n_queries;) {
            int now = queries_at_once(count);
            while (now > n_queries - done) now /= 2;
            const AttentionQuery* batch = queries + done;
            switch (count) {
                case 4: attend_queries<Element, 4>(h, cache, layer, seq, first, batch, now, head, scores); break;
                case 3: attend_queries<Element, 3>(h, cache, layer, seq, first, batch, now, head, scores); break;
                case 2: attend_queries<Element, 2>(h, cache, layer, seq, first, batch, now, head, scores); break;
                default: attend_queries<Element, 1>(h, cache, layer, seq, first, batch, now, head, scores); break;
            }
            done += now;
        }
        head += count;
    }
}

}  // namespace

std::int64_t first_attended(const HParams& h, std::int64_t pos, bool uses_sliding_window) noexcept {
    // A sliding-window layer sees the last `sliding_window` positions, itself included.
    return uses_sliding_window && h.sliding_window > 0 ? std::max<std::int64_t>(0, pos - h.sliding_window + 1) : 0;
}

void attend(const HParams& h, const KvCache& cache, std::int64_t layer, std::int64_t seq, std::int64_t first,
            const AttentionQuery* queries, int n_queries, std::int64_t head_begin, std::int64_t head_end,
            float* scores) noexcept {
    if (cache.type() == KvCacheType::F16) {
        attend_elements<std::uint16_t>(h, cache, layer, seq, first, queries, n_queries, head_begin, head_end, scores);
    } else {
        attend_elements<float>(h, cache, layer, seq, first, queries, n_queries, head_begin, head_end, scores);
    }
}

}  // namespace inhouse::model
