// Logging goes to stderr through spdlog; stdout stays clean for a command's real output.
#pragma once

#include <spdlog/spdlog.h>

namespace inhouse {

// Sets up the default logger. `verbose` lowers the level to debug.
void init_logging(bool verbose);

}  // namespace inhouse
