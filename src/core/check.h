// INHOUSE_CHECK: invariants that only a bug can break. Stays on in release builds and aborts
// with file:line and a message; input must never be able to reach one (the fuzzers look).
#pragma once

#include <fmt/format.h>

namespace inhouse::detail {
[[noreturn]] void check_failed(const char* file, int line, const char* condition,
                               const std::string& message);
}  // namespace inhouse::detail

#define INHOUSE_CHECK(cond, ...)                                                          \
    do {                                                                                  \
        if (!(cond)) [[unlikely]] {                                                       \
            ::inhouse::detail::check_failed(__FILE__, __LINE__, #cond,                    \
                                            ::fmt::format("" __VA_ARGS__));               \
        }                                                                                 \
    } while (false)

#ifdef NDEBUG
#define INHOUSE_DCHECK(cond, ...) \
    do {                          \
    } while (false)
#else
#define INHOUSE_DCHECK(cond, ...) INHOUSE_CHECK(cond, __VA_ARGS__)
#endif
