// Integer and lane-wise float dot products shared by the reference kernels. Both are written
// so that g++ vectorizes them without -ffast-math: integer sums are exact in any order, and
// the float version keeps kFloatLanes independent partial sums, as a SIMD kernel would.
#pragma once

#include <cstdint>

namespace inhouse::kernels {

// Σ a[i]·b[i], exact: |a·b| <= 2^14 per term, so int32 holds any n up to 2^17.
inline std::int32_t dot_int8(const std::int8_t* a, const std::int8_t* b, int n) noexcept {
    std::int32_t sum = 0;
    for (int i = 0; i < n; ++i) sum += static_cast<std::int32_t>(a[i]) * b[i];
    return sum;
}

inline constexpr int kFloatLanes = 16;

// Σ to_float(a[i])·to_float(b[i]) in float, summed lane by lane then across the lanes.
template <typename Element, typename ToFloat>
float dot_in_float_lanes(const Element* a, const Element* b, std::int64_t n,
                         ToFloat to_float) noexcept {
    float lanes[kFloatLanes] = {};
    std::int64_t i = 0;
    for (; i + kFloatLanes <= n; i += kFloatLanes) {
        for (int lane = 0; lane < kFloatLanes; ++lane) {
            lanes[lane] += to_float(a[i + lane]) * to_float(b[i + lane]);
        }
    }
    for (int lane = 0; i < n; ++i, ++lane) lanes[lane] += to_float(a[i]) * to_float(b[i]);
    float sum = 0.0f;
    for (const float lane_sum : lanes) sum += lane_sum;
    return sum;
}

}  // namespace inhouse::kernels
