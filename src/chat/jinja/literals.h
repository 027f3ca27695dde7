// Literals in template source: where a string ends and its value after Python's escape rules
// (jinja2 decodes them with Python's "unicode-escape" codec), and numbers in jinja2's forms.
#pragma once

#include <cstdint>
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

struct NumberLiteral {
    std::size_t end = 0;  // offset just past the literal
    bool is_float = false;
    std::int64_t integer = 0;
    double floating = 0.0;
};

// Scans the number starting at `start` (a digit): 42, 1_000, 0x1F, 0o17, 0b101, 2.5, 1e-3.
// Fails on an integer too large for 64 bits (Python would make a big integer).
Result<NumberLiteral> scan_number(std::string_view source, std::size_t start);

}  // namespace inhouse::chat::jinja
