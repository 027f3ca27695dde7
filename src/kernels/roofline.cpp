#include "kernels/roofline.h"

#include <emmintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

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

std::uint64_t stream_read(const std::uint8_t* data, std::size_t bytes) noexcept {
    __m128i a = _mm_setzero_si128(), b = a, c = a, d = a;
    std::size_t i = 0;
    for (; i + 64 <= bytes; i += 64) {
        const auto* line = reinterpret_cast<const __m128i*>(data + i);
        a = _mm_add_epi64(a, _mm_load_si128(line));
        b = _mm_add_epi64(b, _mm_load_si128(line + 1));
        c = _mm_add_epi64(c, _mm_load_si128(line + 2));
        d = _mm_add_epi64(d, _mm_load_si128(line + 3));
    }
    std::uint64_t lanes[2];
    _mm_storeu_si128(reinterpret_cast<__m128i*>(lanes), _mm_add_epi64(_mm_add_epi64(a, b), _mm_add_epi64(c, d)));
    std::uint64_t total = lanes[0] + lanes[1];
    for (; i < bytes; ++i) total += data[i];
    return total;
}

double parallel_read_seconds(ThreadPool& pool, const std::uint8_t* data, std::size_t bytes) {
    std::atomic<std::uint64_t> sink = 0;
    const auto start = Clock::now();
    pool.parallel_for(static_cast<std::int64_t>(bytes), [&](std::int64_t begin, std::int64_t end) {
        sink.fetch_add(stream_read(data + begin, static_cast<std::size_t>(end - begin)), std::memory_order_relaxed);
    }, 1 << 15);
    return seconds_since(start);
}

double ReadBandwidthProbe::measure(ThreadPool& pool, int rounds) const {
    double best = 0;
    for (int round = 0; round < rounds; ++round) {
        best = std::max(best, static_cast<double>(pages_.size_bytes()) /
                                  parallel_read_seconds(pool, pages_.data(), pages_.size_bytes()));
    }
    return best;
}

Roofline measure_compute_peaks(ThreadPool& pool) {
    Roofline roofline;
    roofline.threads = pool.n_threads();
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
