#include "sampling/truncation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace inhouse::sampling {

namespace {

double max_logit(std::span<const Candidate> candidates) {
    float best = candidates.front().logit;
    for (const Candidate& candidate : candidates) {
        best = std::max(best, candidate.logit);
    }
    return best;
}

// top-p finds its cut without sorting the nucleus, which on a flat distribution over a large
// vocabulary holds 10^5 tokens. Each candidate gets a grid position, (best - logit) * 16; the
// probability mass is binned into 1024 coarse buckets by that position (the last one takes
// everything more than 64 logits below the best, whose weights are under e^-64). Only the bucket
// where the running mass crosses top_p is looked at further: split into 1024 fine buckets when
// it is crowded, then its few candidates are sorted. Positions grow as logits fall, so every
// candidate of a lower bucket ranks before every candidate of a higher one.
constexpr std::size_t kBuckets = 1024;
constexpr double kBucketsPerLogit = 16.0;
// The most candidates the crossing bucket may hold to be sorted on the stack. More (hundreds of
// logits equal to within 1/16384) fall back to sorting the whole list in blocks.
constexpr std::size_t kMaxGathered = 512;
constexpr std::size_t kFirstSortedBlock = 64;

double grid_position(float logit, double best) { return (best - logit) * kBucketsPerLogit; }

std::size_t coarse_bucket(double position) {
    return position >= static_cast<double>(kBuckets - 1) ? kBuckets - 1
                                                         : static_cast<std::size_t>(position);
}

// The fine bucket inside coarse bucket `coarse`. position - coarse is exact (Sterbenz), so the
// fine buckets split the coarse one without gaps or overlaps.
std::size_t fine_bucket(double position, std::size_t coarse) {
    const double index = (position - static_cast<double>(coarse)) * kBuckets;
    return index >= static_cast<double>(kBuckets - 1) ? kBuckets - 1
                                                      : static_cast<std::size_t>(index);
}

struct MassHistogram {
    std::array<double, kBuckets> mass{};
    std::array<std::uint32_t, kBuckets> count{};
};

// The bucket whose mass carries the running sum, starting at `mass_before`, to the threshold:
// buckets before it are kept whole, buckets after it dropped.
struct Boundary {
    std::size_t bucket = 0;
    double mass_before = 0.0;
};

Boundary find_boundary(const MassHistogram& histogram, double mass_before, double threshold) {
    Boundary boundary{.bucket = 0, .mass_before = mass_before};
    while (boundary.bucket < kBuckets - 1 &&
           boundary.mass_before + histogram.mass[boundary.bucket] < threshold) {
        boundary.mass_before += histogram.mass[boundary.bucket++];
    }
    return boundary;
}

// Sorts the candidates `is_in_boundary` selects (at most kMaxGathered) and returns the one whose
// weight carries their running sum to `needed`: the worst-ranked candidate top-p keeps. nullopt
// when none are selected, i.e. rounding left the whole list short of the threshold.
template <typename Selector>
std::optional<Candidate> find_last_kept(std::span<const Candidate> candidates, double best,
                                        Selector is_in_boundary, double needed) {
    std::array<Candidate, kMaxGathered> gathered;
    std::size_t n_gathered = 0;
    for (const Candidate& candidate : candidates) {
        if (is_in_boundary(grid_position(candidate.logit, best))) {
            gathered[n_gathered++] = candidate;
        }
    }
    if (n_gathered == 0) {
        return std::nullopt;
    }
    std::sort(gathered.begin(), gathered.begin() + static_cast<std::ptrdiff_t>(n_gathered),
              ranks_before);
    double cumulative = 0.0;
    for (std::size_t index = 0; index < n_gathered; ++index) {
        cumulative += std::exp(gathered[index].logit - best);
        if (cumulative >= needed) {
            return gathered[index];
        }
    }
    return gathered[n_gathered - 1];
}

// The fallback: sorts the best candidates in blocks of 64, doubling, until their mass reaches
// the threshold, and returns them sorted.
std::span<Candidate> keep_top_p_by_sorting(std::span<Candidate> candidates, double best,
                                           double threshold) {
    // Invariant: candidates[0, n_sorted) are the n_sorted best, in order, and their
    // probabilities sum to `cumulative` < threshold.
    double cumulative = 0.0;
    std::size_t n_sorted = 0;
    std::size_t block_end = std::min(candidates.size(), kFirstSortedBlock);
    while (n_sorted < candidates.size()) {
        std::partial_sort(candidates.begin() + static_cast<std::ptrdiff_t>(n_sorted),
                          candidates.begin() + static_cast<std::ptrdiff_t>(block_end),
                          candidates.end(), ranks_before);
        for (std::size_t index = n_sorted; index < block_end; ++index) {
            cumulative += std::exp(candidates[index].logit - best);
            if (cumulative >= threshold) {
                return candidates.first(index + 1);
            }
        }
        n_sorted = block_end;
        block_end = std::min(candidates.size(), 2 * block_end);
    }
    return candidates;  // rounding kept the sum just short of the threshold: keep everything
}

// Keeps, in their current order, the candidates ranking at or before `last_kept`.
std::span<Candidate> keep_up_to(std::span<Candidate> candidates, const Candidate& last_kept) {
    std::size_t n_kept = 0;
    for (const Candidate& candidate : candidates) {
        if (!ranks_before(last_kept, candidate)) {
            candidates[n_kept++] = candidate;
        }
    }
    return candidates.first(n_kept);
}

}  // namespace

std::span<Candidate> keep_top_k(std::span<Candidate> candidates, std::int32_t top_k) noexcept {
    if (top_k <= 0 || static_cast<std::size_t>(top_k) >= candidates.size()) {
        return candidates;
    }
    const auto kept_end = candidates.begin() + top_k;
    // nth_element then sort: O(n + k log k), against partial_sort's O(n log k).
    std::nth_element(candidates.begin(), kept_end, candidates.end(), ranks_before);
    std::sort(candidates.begin(), kept_end, ranks_before);
    return candidates.first(static_cast<std::size_t>(top_k));
}

std::span<Candidate> keep_top_p(std::span<Candidate> candidates, float top_p) noexcept {
    if (top_p >= 1.0f || candidates.size() <= 1) {
        return candidates;
    }
    const double best = max_logit(candidates);
    if (std::isinf(best)) {
        return candidates;  // all -inf: no distribution to truncate
    }
    MassHistogram coarse;  // 12 KiB on the stack
    double total = 0.0;
    for (const Candidate& candidate : candidates) {
        const double weight = std::exp(candidate.logit - best);
        const std::size_t bucket = coarse_bucket(grid_position(candidate.logit, best));
        total += weight;
        coarse.mass[bucket] += weight;
        ++coarse.count[bucket];
    }
    const double threshold = static_cast<double>(top_p) * total;
    const Boundary crossing = find_boundary(coarse, 0.0, threshold);
    const auto in_crossing = [&](double position) {
        return coarse_bucket(position) == crossing.bucket;
    };
    std::optional<Candidate> last_kept;
    if (coarse.count[crossing.bucket] <= kMaxGathered) {
        last_kept = find_last_kept(candidates, best, in_crossing, threshold - crossing.mass_before);
    } else {
        MassHistogram fine;
        for (const Candidate& candidate : candidates) {
            const double position = grid_position(candidate.logit, best);
            if (in_crossing(position)) {
                const std::size_t bucket = fine_bucket(position, crossing.bucket);
                fine.mass[bucket] += std::exp(candidate.logit - best);
                ++fine.count[bucket];
            }
        }
        const Boundary fine_crossing = find_boundary(fine, crossing.mass_before, threshold);
        if (fine.count[fine_crossing.bucket] > kMaxGathered) {
            return keep_top_p_by_sorting(candidates, best, threshold);
        }
        const auto in_fine_crossing = [&](double position) {
            return in_crossing(position) &&
                   fine_bucket(position, crossing.bucket) == fine_crossing.bucket;
        };
        last_kept = find_last_kept(candidates, best, in_fine_crossing,
                                   threshold - fine_crossing.mass_before);
    }
    return last_kept ? keep_up_to(candidates, *last_kept) : candidates;
}

std::span<Candidate> keep_min_p(std::span<Candidate> candidates, float min_p) noexcept {
    if (min_p <= 0.0f || candidates.empty()) {
        return candidates;
    }
    // p_i >= min_p * p_max  <=>  logit_i - max_logit >= log(min_p); no softmax needed.
    const double floor = max_logit(candidates) + std::log(static_cast<double>(min_p));
    std::size_t n_kept = 0;
    for (const Candidate& candidate : candidates) {
        if (candidate.logit >= floor) {
            candidates[n_kept++] = candidate;
        }
    }
    return candidates.first(n_kept);
}

}  // namespace inhouse::sampling
