// String literals in template source: where one ends, and its value after Python's escape
// rules (jinja2 decodes them with Python's "unicode-escape" codec).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace inhouse::chat::jinja {

// `start` is the opening quote. Returns the offset just past the closing quote, or nullopt
// when the literal is not closed.
std::optional<std::size_t> find_string_literal_end(std::string_view source, std::size_t start);

// Decodes the text between the quotes: \n \t \\ \' \" \a \b \f \r \v, octal \ooo, \xhh,
// \uhhhh, \Uhhhhhhhh, backslash-newline; unknown escapes stay as written.
Result<std::string> decode_string_literal(std::string_view body);

}  // namespace inhouse::chat::jinja
