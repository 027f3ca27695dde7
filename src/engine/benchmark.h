// Prefill and decode speed of a model on this machine, measured as llama.cpp's llama-bench
// does: a prompt of n_prompt tokens in one batch, and n_generate tokens decoded one at a
// time, from an empty context or after n_depth tokens already in it (llama-bench's -d: a
// long conversation's decode also reads its whole KV cache per token); the median of several
// repetitions after a warm-up.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "core/thread_pool.h"
#include "kernels/roofline.h"
#include "model/kv_cache.h"
#include "model/model.h"

namespace inhouse::engine {

struct BenchSettings {
    std::int64_t n_prompt = 512;
    std::int64_t n_generate = 128;
    int repetitions = 3;
    // KV cache positions to allocate (committed, so peak RSS shows a full context of this
    // length); 0: just what the runs need.
    std::int64_t n_ctx = 0;
    // Tokens in the context before each timed prefill and decode (filled once, not timed).
    std::int64_t n_depth = 0;
    model::KvCacheType kv_type = model::KvCacheType::F16;
};

// What one decoded token costs in the weight matrices: the bytes read (every matrix once,
// plus one embedding row) and the multiply-adds. Attention over the context comes on top.
struct WeightTraffic {
    std::uint64_t bytes_per_token = 0;
    double macs_per_token = 0;
};

WeightTraffic weight_traffic(const model::Model& model);

// KV cache bytes one token decoded at position `pos` reads: every layer's keys and values of
// the positions it attends to (a sliding-window layer's window only).
std::uint64_t kv_cache_bytes_read(const model::HParams& hparams, model::KvCacheType type, std::int64_t pos);

struct BenchResult {
    std::vector<double> prefill_tokens_per_second;  // one per repetition
    std::vector<double> decode_tokens_per_second;
    double prefill_median = 0;
    double decode_median = 0;
    WeightTraffic traffic;
};

Result<BenchResult> run_benchmark(const model::Model& model, const BenchSettings& settings, ThreadPool& pool);

// Decode against the memory-bandwidth bound: `settings.repetitions` decodes of n_generate
// tokens, each judged against the mean of reads measured just before and just after it, and
// against the bytes a token reads (weights and KV cache). On a
// host whose bandwidth moves 2× within minutes (shared memory under a hypervisor), a bound
// measured once, minutes away from the decode, says little about the decode.
struct DecodeRoofline {
    struct Run {
        double tokens_per_second = 0;
        double read_bytes_per_second = 0;  // mean of the reads before and after the decode
        double fraction_of_bound = 0;      // tokens_per_second · bytes per token / read_bytes_per_second
    };
    std::vector<Run> runs;
    double median_fraction_of_bound = 0;
    double median_read_bytes_per_second = 0;
    // What each token reads besides the weights (weight_traffic): the cached keys and values of
    // its position and those before it, the mean of kv_cache_bytes_read over the decoded positions.
    double kv_cache_bytes_per_token = 0;
};

Result<DecodeRoofline> measure_decode_roofline(const model::Model& model, const BenchSettings& settings, ThreadPool& pool,
                                               const kernels::ReadBandwidthProbe& probe);

}  // namespace inhouse::engine
