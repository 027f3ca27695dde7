// Where in a template something is, and how errors name it:
// "chat template line 12, column 5: unknown filter 'foo'".
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace inhouse::chat::jinja {

struct SourceLocation {
    int line = 1;    // 1-based
    int column = 1;  // 1-based, in code points
};

inline Error template_error(ErrorCode code, std::string_view template_name, SourceLocation location,
                            std::string_view message) {
    return make_error(code, "{} line {}, column {}: {}", template_name, location.line,
                      location.column, message);
}

}  // namespace inhouse::chat::jinja
