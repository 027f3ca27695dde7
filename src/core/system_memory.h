// How much memory this process may count on: the kernel's MemAvailable, capped by
// INHOUSE_MEMORY_LIMIT when an operator sets one (as a container limit would). The engine sizes
// automatic contexts and KV pools from it; the CLI checks a model fits against it.
#pragma once

#include <cstdint>

#include "core/result.h"

namespace inhouse {

// An error names a bad INHOUSE_MEMORY_LIMIT (bytes, or a number with K, M, G or T).
Result<std::uint64_t> usable_memory_bytes();

// The same, a bad INHOUSE_MEMORY_LIMIT ignored: for sizing once the CLI has refused it.
std::uint64_t usable_memory_bytes_or_available();

}  // namespace inhouse
