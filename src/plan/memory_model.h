// How much memory a model needs to serve: weights, KV cache, compute buffers and runtime
// overhead, from a ModelSpec and a deployment. `inhouse plan` prints it; `inhouse serve` and
// `run` check it against the memory there is before they load anything.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "plan/model_spec.h"

namespace inhouse::plan {

enum class KvCacheType { F32, F16, Q8_0 };

// "f32", "f16", "q8_0" (case-insensitive); an error lists them.
Result<KvCacheType> parse_kv_cache_type(std::string_view name);
std::string_view kv_cache_type_name(KvCacheType type);
double kv_cache_bytes_per_element(KvCacheType type);

struct Deployment {
    std::int64_t n_ctx = 4096;      // positions per sequence
    std::int64_t n_parallel = 1;    // sequences held at once
    KvCacheType kv_type = KvCacheType::F16;
    // Sliding-window layers keep only their window (llama.cpp's SWA cache). inhouse keeps the
    // whole context in every layer today, so its own checks pass false.
    bool sliding_window_cache = true;
    std::int64_t n_batch = 512;     // tokens per forward pass (prefill chunk)
    int n_threads = 2;
};

struct MemoryBreakdown {
    std::uint64_t weights_bytes = 0;
    std::uint64_t kv_cache_bytes = 0;
    std::uint64_t compute_buffer_bytes = 0;  // activations of one batch, logits, scratch
    std::uint64_t runtime_overhead_bytes = 0;  // code, libraries, threads, tokenizer tables
    std::uint64_t total_bytes() const {
        return weights_bytes + kv_cache_bytes + compute_buffer_bytes + runtime_overhead_bytes;
    }
};

// Keys and values of n_parallel sequences of n_ctx positions in every layer (a sliding layer
// holds min(n_ctx, window) positions when the deployment keeps only the window).
std::uint64_t kv_cache_bytes(const ModelSpec& model, const Deployment& deployment);

MemoryBreakdown estimate_memory(const ModelSpec& model, const Deployment& deployment);

}  // namespace inhouse::plan
