#include "cli/memory_check.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "core/system_memory.h"
#include "plan/memory_model.h"
#include "plan/model_spec.h"

namespace inhouse::cli {

namespace {

// The least context the engine sizes an automatic one to (engine/text_generator.cpp).
constexpr std::int64_t kMinimumContext = 256;

double gib(std::uint64_t bytes) { return static_cast<double>(bytes) / static_cast<double>(1ull << 30); }

}  // namespace

Status check_memory_fits(const gguf::GgufFile& file, const MemoryRequest& request) {
    INHOUSE_ASSIGN_OR_RETURN(const plan::ModelSpec spec, plan::spec_from_gguf(file));
    const plan::Deployment deployment{
        .n_ctx = request.n_ctx > 0 ? request.n_ctx : std::min(kMinimumContext, spec.n_ctx_train),
        .n_parallel = request.n_parallel,
        .kv_type = request.kv_type == model::KvCacheType::F16 ? plan::KvCacheType::F16 : plan::KvCacheType::F32,
        .sliding_window_cache = false,
        .n_batch = request.n_batch,
        .n_threads = request.n_threads > 0 ? request.n_threads
                                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())),
    };
    const plan::MemoryBreakdown need = plan::estimate_memory(spec, deployment);
    INHOUSE_ASSIGN_OR_RETURN(const std::uint64_t usable, usable_memory_bytes());
    if (need.total_bytes() <= usable) return {};
    return make_error(ErrorCode::ResourceExhausted,
                      "{}: needs {:.2f} GiB — weights {:.2f} + KV cache {:.2f} ({} tokens × {} sequence(s), {}) + "
                      "compute buffers {:.2f} + runtime {:.2f} — but {:.2f} GiB of memory are available{}; "
                      "use a shorter context (-c), fewer parallel sequences or a smaller quantization "
                      "(`inhouse plan` sizes the options)",
                      file.label(), gib(need.total_bytes()), gib(need.weights_bytes), gib(need.kv_cache_bytes),
                      deployment.n_ctx, deployment.n_parallel, model::kv_cache_type_name(request.kv_type),
                      gib(need.compute_buffer_bytes),
                      gib(need.runtime_overhead_bytes), gib(usable),
                      std::getenv("INHOUSE_MEMORY_LIMIT") != nullptr ? " (INHOUSE_MEMORY_LIMIT)" : "");
}

}  // namespace inhouse::cli
