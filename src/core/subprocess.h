// Runs a program with an argument vector (never through a shell, so no argument is ever
// interpreted) and waits for it.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace inhouse {

struct SubprocessResult {
    int exit_code = 0;  // 128 + signal number when killed by a signal
};

// Runs argv[0] (looked up in PATH) with stdin from /dev/null. stdout and stderr are inherited
// unless `on_stdout` is given, in which case stdout chunks are passed to it as they arrive.
Result<SubprocessResult> run_subprocess(
    const std::vector<std::string>& argv,
    const std::function<Status(std::span<const char>)>& on_stdout = nullptr);

}  // namespace inhouse
