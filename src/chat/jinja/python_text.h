// Python's text forms: repr() of floats and strings, and int()/float() of text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace inhouse::chat::jinja {

// Python's repr of a float: the shortest text that reads back to the same double.
std::string format_float(double value);
// Python's repr of a str: single quotes unless the text holds ' and no ".
std::string repr_string(std::string_view text);

// Python's int(text, 10) for a base-10 literal, allowing surrounding whitespace, a sign and
// underscores between digits.
std::optional<std::int64_t> parse_python_int(std::string_view text);
// Python's float(text): decimal and exponent forms, "inf", "nan", surrounding whitespace.
std::optional<double> parse_python_float(std::string_view text);

}  // namespace inhouse::chat::jinja
