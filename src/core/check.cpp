#include "core/check.h"

#include <cstdio>
#include <cstdlib>

namespace inhouse::detail {

void check_failed(const char* file, int line, const char* condition, const std::string& message) {
    std::fprintf(stderr, "internal error at %s:%d: check '%s' failed%s%s\n", file, line, condition,
                 message.empty() ? "" : ": ", message.c_str());
    std::abort();
}

}  // namespace inhouse::detail
