#include "kernels/roofline.h"

#include <emmintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "kernels/simd/cpu_features.h"
#include "kernels/simd/peak_probe.h"

namespace inhouse::kernels {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

template <typename Probe>
double ops_per_second(ThreadPool& pool, Probe probe) {
    constexpr std::int64_t kIterations = 20'000'000;
    double best = 0;
    for (int round = 0; round < 3; ++round) {
        std::atomic<std::int64_t> done = 0;
        const auto start = Clock::now();
        pool.parallel_for(pool.n_threads(), [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t t = begin; t < end; ++t) done.fetch_add(probe(kIterations), std::memory_order_relaxed);
        });
        best = std::max(best, static_cast<double>(done.load()) / seconds_since(start));
    }
    return best;
}

}  // namespace

// Through 4 KiB pages the probe measured TLB misses too and read ~25% slower than decode does.
Result<ReadBandwidthProbe> ReadBandwidthProbe::create(ThreadPool& pool, std::size_t bytes) {
    INHOUSE_ASSIGN_OR_RETURN(auto pages, HugePageBuffer::allocate(bytes));
    auto* words = reinterpret_cast<std::uint64_t*>(pages.data());
    // Every thread touches its own part first, so pages are resident before timing.
    pool.parallel_for(static_cast<std::int64_t>(bytes / sizeof(std::uint64_t)), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) words[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(i);
    }, 4096);
    return ReadBandwidthProbe(std::move(pages));
}

double ReadBandwidthProbe::measure(ThreadPool& pool, int rounds) const {
    const auto* words = reinterpret_cast<const std::uint64_t*>(pages_.data());
    const std::size_t n_words = pages_.size_bytes() / sizeof(std::uint64_t);
    std::atomic<std::uint64_t> sink = 0;
    double best = 0;
    for (int round = 0; round < rounds; ++round) {
        const auto start = Clock::now();
        // A cache line per iteration in four 16-byte loads (SSE2, every x86-64 has it): 8-byte
        // loads kept the probe's own instruction rate in the measurement.
        pool.parallel_for(static_cast<std::int64_t>(n_words), [&](std::int64_t begin, std::int64_t end) {
            __m128i a = _mm_setzero_si128(), b = a, c = a, d = a;
            std::int64_t i = begin;
            for (; i + 8 <= end; i += 8) {
                const auto* line = reinterpret_cast<const __m128i*>(words + i);
                a = _mm_add_epi64(a, _mm_load_si128(line));
                b = _mm_add_epi64(b, _mm_load_si128(line + 1));
                c = _mm_add_epi64(c, _mm_load_si128(line + 2));
                d = _mm_add_epi64(d, _mm_load_si128(line + 3));
            }
            std::uint64_t lanes[2];
            _mm_storeu_si128(reinterpret_cast<__m128i*>(lanes), _mm_add_epi64(_mm_add_epi64(a, b), _mm_add_epi64(c, d)));
            std::uint64_t total = lanes[0] + lanes[1];
            for (; i < end; ++i) total += words[static_cast<std::size_t>(i)];
            sink.fetch_add(total, std::memory_order_relaxed);
        }, 4096);
        best = std::max(best, static_cast<double>(pages_.size_bytes()) / seconds_since(start));
    }
    return best;
}

Roofline measure_roofline(ThreadPool& pool, const ReadBandwidthProbe& probe) {
    Roofline roofline;
    roofline.threads = pool.n_threads();
    roofline.read_bytes_per_second = probe.measure(pool);
    switch (simd_level()) {
        case SimdLevel::kAmx:
            roofline.int8_macs_per_second = ops_per_second(pool, amx::int8_multiply_adds);
            roofline.f32_flops_per_second = 2 * ops_per_second(pool, avx512::f32_multiply_adds);
            break;
        case SimdLevel::kAvx512:
            roofline.int8_macs_per_second = ops_per_second(pool, avx512::int8_multiply_adds);
            roofline.f32_flops_per_second = 2 * ops_per_second(pool, avx512::f32_multiply_adds);
            break;
        case SimdLevel::kAvx2:
            roofline.int8_macs_per_second = ops_per_second(pool, avx2::int8_multiply_adds);
            roofline.f32_flops_per_second = 2 * ops_per_second(pool, avx2::f32_multiply_adds);
            break;
        case SimdLevel::kScalar:
            break;  // no SIMD: compute bounds are not measured
    }
    return roofline;
}

}  // namespace inhouse::kernels
