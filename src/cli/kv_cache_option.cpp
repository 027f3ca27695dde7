#include "cli/kv_cache_option.h"

#include <string>

namespace inhouse::cli {

void add_kv_cache_type_option(CLI::App& command, model::KvCacheType& type) {
    const std::string f16(model::kv_cache_type_name(model::KvCacheType::F16));
    const std::string f32(model::kv_cache_type_name(model::KvCacheType::F32));
    command
        .add_option_function<std::string>(
            "--kv-type", [&type, f32](const std::string& name) {
                // The check below let the name through in any case.
                type = CLI::detail::to_lower(name) == f32 ? model::KvCacheType::F32 : model::KvCacheType::F16;
            },
            "KV cache element type: f16 (half the memory and the reads of a long context) or f32")
        ->check(CLI::IsMember({f16, f32}, CLI::ignore_case))
        ->default_str(f16);
}

}  // namespace inhouse::cli
