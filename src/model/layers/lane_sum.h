// Σ term(i) over i < n in 16 interleaved partial sums with a fixed pairwise reduction: the
// compiler can vectorize it without reordering anything (a plain sum loop stays one scalar
// chain), and the result does not depend on the vector width.
#pragma once

#include <cstdint>

namespace inhouse::model {

template <typename Term>
inline float sum_in_16_lanes(std::int64_t n, Term term) noexcept {
    float lanes[16] = {};
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int l = 0; l < 16; ++l) lanes[l] += term(i + l);
    }
    float tail = 0;
    for (; i < n; ++i) tail += term(i);
    for (int width = 8; width >= 1; width /= 2) {
        for (int l = 0; l < width; ++l) lanes[l] += lanes[l + width];
    }
    return lanes[0] + tail;
}

}  // namespace inhouse::model
