// Truncation filters over a candidate list: top-k, top-p (nucleus) and min-p, with llama.cpp's
// semantics. Each takes the surviving candidates and returns the kept ones as a prefix of the
// same span, reordering in place and allocating nothing.
#pragma once

#include <cstdint>
#include <span>

#include "sampling/sampling_params.h"

namespace inhouse::sampling {

// Candidate logits are finite or -inf, never NaN (sanitize_logits runs first).
struct Candidate {
    TokenId id;
    float logit;
};

// The total order every filter sorts by: higher logit first, lower id first on ties. Being
// total, it makes the kept set and its order, and so a seeded draw, independent of the
// standard library's sort algorithm.
inline bool ranks_before(const Candidate& left, const Candidate& right) {
    return left.logit > right.logit || (left.logit == right.logit && left.id < right.id);
}

// Keeps the top_k best candidates, sorted by ranks_before. top_k <= 0 or >= size keeps all, in
// their current order.
std::span<Candidate> keep_top_k(std::span<Candidate> candidates, std::int32_t top_k) noexcept;

// Keeps the fewest best candidates (by ranks_before) whose probabilities (softmax of the
// candidates' logits, at temperature 1) sum to at least top_p; the candidate that crosses the
// threshold is kept, so at least one always is. top_p >= 1 keeps all. O(n): the kept ones stay
// in their current order, except when hundreds of candidates share the logit range where the
// threshold falls; they then come out sorted by ranks_before. Either way the same input gives
// the same output everywhere.
std::span<Candidate> keep_top_p(std::span<Candidate> candidates, float top_p) noexcept;

// Keeps the candidates whose probability is at least min_p times the best one's, i.e. whose
// logit is at least max_logit + log(min_p), preserving their order. min_p <= 0 keeps all.
std::span<Candidate> keep_min_p(std::span<Candidate> candidates, float min_p) noexcept;

}  // namespace inhouse::sampling
