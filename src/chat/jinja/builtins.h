// The global functions a chat template can call: jinja2's range, dict and namespace, and
// transformers' raise_exception and strftime_now.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "chat/jinja/value.h"

namespace inhouse::chat::jinja {

// Name and callable value of each global function. raise_exception fails the render with
// ErrorCode::InvalidArgument and the template's message; strftime_now formats the time the
// render was given.
std::vector<std::pair<std::string, Value>> builtin_globals();

}  // namespace inhouse::chat::jinja
