// --kv-type, for the commands that run a model (run, chat, serve, bench): how the KV cache
// stores keys and values. `inhouse plan --kv-type` also sizes q8_0, which the engine does not
// store yet.
#pragma once

#include <CLI/CLI.hpp>

#include "model/kv_cache.h"

namespace inhouse::cli {

void add_kv_cache_type_option(CLI::App& command, model::KvCacheType& type);

}  // namespace inhouse::cli
