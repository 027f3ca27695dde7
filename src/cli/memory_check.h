// Before a model is loaded: does it fit, with the context and sequences asked for, in the
// memory there is? The planner's memory model (plan/memory_model.h) with what inhouse itself
// allocates (a KV cache of the chosen type over the whole context in every layer), against the memory the
// kernel says is available — or INHOUSE_MEMORY_LIMIT, when an operator caps it (as a container
// limit would). A refusal gives the numbers instead of meeting the OOM killer later.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "gguf/gguf_file.h"
#include "model/kv_cache.h"

namespace inhouse::cli {

struct MemoryRequest {
    std::int64_t n_ctx = 0;  // 0: the engine sizes it to memory; the check asks for its minimum
    std::int64_t n_parallel = 1;
    std::int64_t n_batch = 256;
    int n_threads = 0;  // 0: every core
    model::KvCacheType kv_type = model::KvCacheType::F16;
};

// An error with the breakdown when the model in `file` and `request` need more than
// usable_memory_bytes() (core/system_memory.h).
Status check_memory_fits(const gguf::GgufFile& file, const MemoryRequest& request);

}  // namespace inhouse::cli
