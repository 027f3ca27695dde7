// Compute-peak probes for the roofline (kernels/roofline.h), built once per level like the
// kernels: tight loops of independent multiply-adds on registers, no memory traffic.
#include "kernels/simd/peak_probe.h"
#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

// Twelve independent accumulators hide the instructions' latency on current cores.
std::int64_t int8_multiply_adds(std::int64_t iterations) noexcept {
    __m256i acc[12];
    for (auto& a : acc) a = _mm256_setzero_si256();
    const __m256i u = _mm256_set1_epi8(3);
    __m256i s = _mm256_set1_epi8(-2);
    for (std::int64_t i = 0; i < iterations; ++i) {
        for (auto& a : acc) a = add_dot_u8s8(a, u, s);
        // Keeps the compiler from hoisting the products out of the loop.
        __asm__ volatile("" : "+x"(s));
    }
    __m256i total = _mm256_setzero_si256();
    for (const auto& a : acc) total = _mm256_add_epi32(total, a);
    volatile int sink = _mm256_extract_epi32(total, 0);
    (void)sink;
    return iterations * 12 * 32;
}

std::int64_t f32_multiply_adds(std::int64_t iterations) noexcept {
    __m256 acc[12];
    for (auto& a : acc) a = _mm256_setzero_ps();
    __m256 x = _mm256_set1_ps(1e-3f);
    const __m256 y = _mm256_set1_ps(0.999f);
    for (std::int64_t i = 0; i < iterations; ++i) {
        for (auto& a : acc) a = _mm256_fmadd_ps(x, y, a);
        __asm__ volatile("" : "+x"(x));
    }
    __m256 total = _mm256_setzero_ps();
    for (const auto& a : acc) total = _mm256_add_ps(total, a);
    volatile float sink = _mm256_cvtss_f32(total);
    (void)sink;
    return iterations * 12 * 8;
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
