// What this machine can do at most, measured: the roofline that benchmark figures are judged
// against. Decode reads every weight once per token, so it is bounded by memory read
// bandwidth; prefill multiplies each weight by many tokens, so it is bounded by compute
// (8-bit multiply-adds, the quantized kernels' inner operation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "core/huge_page_buffer.h"
#include "core/result.h"
#include "core/thread_pool.h"

namespace inhouse::kernels {

struct Roofline {
    double read_bytes_per_second = 0;     // streaming reads, all threads, from a buffer far beyond cache (ReadBandwidthProbe)
    double int8_macs_per_second = 0;      // u8·s8 multiply-adds at the kernels' SIMD level, all threads
    double f32_flops_per_second = 0;      // fused multiply-adds counted as 2 flops, all threads
    int threads = 0;
};

// Reads `bytes` from `data` (16-byte aligned) once, a cache line per iteration in four 16-byte
// loads (SSE2, every x86-64 has it: 8-byte loads kept the reader's own instruction rate in the
// measurement), and returns the sum of its 64-bit words so the reads cannot be dropped.
std::uint64_t stream_read(const std::uint8_t* data, std::size_t bytes) noexcept;
// Seconds to read `bytes` once, split among the threads of `pool`.
double parallel_read_seconds(ThreadPool& pool, const std::uint8_t* data, std::size_t bytes);

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

// The compute peaks (int8 and f32), about a second on every thread of `pool`. The read bandwidth
// is left to a ReadBandwidthProbe measured beside the work it bounds.
Roofline measure_compute_peaks(ThreadPool& pool);

}  // namespace inhouse::kernels
