// What this machine can do at most, measured: the roofline that benchmark figures are judged
// against. Decode reads every weight once per token, so it is bounded by memory read
// bandwidth; prefill multiplies each weight by many tokens, so it is bounded by compute
// (8-bit multiply-adds, the quantized kernels' inner operation).
#pragma once

#include "core/thread_pool.h"

namespace inhouse::kernels {

struct Roofline {
    double read_bytes_per_second = 0;     // streaming reads, all threads, from a buffer far beyond cache
    double int8_macs_per_second = 0;      // u8·s8 multiply-adds at the kernels' SIMD level, all threads
    double f32_flops_per_second = 0;      // fused multiply-adds counted as 2 flops, all threads
    int threads = 0;
};

// Takes about a second. Uses every thread of `pool`.
Roofline measure_roofline(ThreadPool& pool);

}  // namespace inhouse::kernels
