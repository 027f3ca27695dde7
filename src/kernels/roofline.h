// What this machine can do at most, measured: the roofline that benchmark figures are judged
// against. Decode reads every weight once per token, so it is bounded by memory read
// bandwidth; prefill multiplies each weight by many tokens, so it is bounded by compute
// (8-bit multiply-adds, the quantized kernels' inner operation).
#pragma once

#include <cstddef>
#include <utility>

#include "core/huge_page_buffer.h"
#include "core/result.h"
#include "core/thread_pool.h"

namespace inhouse::kernels {

struct Roofline {
    double read_bytes_per_second = 0;     // streaming reads, all threads, from a buffer far beyond cache
    double int8_macs_per_second = 0;      // u8·s8 multiply-adds at the kernels' SIMD level, all threads
    double f32_flops_per_second = 0;      // fused multiply-adds counted as 2 flops, all threads
    int threads = 0;
};

// Streaming reads from a buffer far beyond any last-level cache, in transparent huge pages as
// the model's weights are held. Kept to be measured again and again: where the host's memory
// is shared, its bandwidth moves within minutes, so a decode is judged against reads measured
// beside it.
class ReadBandwidthProbe {
public:
    static constexpr std::size_t kDefaultBytes = std::size_t{1} << 30;
    // Allocates and touches the buffer (its pages are resident from here on).
    static Result<ReadBandwidthProbe> create(ThreadPool& pool, std::size_t bytes = kDefaultBytes);
    // Bytes per second, the best of `rounds` reads of the whole buffer on every thread of `pool`.
    double measure(ThreadPool& pool, int rounds = 3) const;

private:
    explicit ReadBandwidthProbe(HugePageBuffer pages) : pages_(std::move(pages)) {}
    HugePageBuffer pages_;
};

// Takes about a second. Uses every thread of `pool`.
Roofline measure_roofline(ThreadPool& pool, const ReadBandwidthProbe& probe);

}  // namespace inhouse::kernels
