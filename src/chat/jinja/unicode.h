// Code-point helpers for the Python string semantics templates rely on: len() and indexing
// count code points, strip() and split() use Python's notion of whitespace, upper()/lower()
// map letters beyond ASCII.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace inhouse::chat::jinja::unicode {

// Decodes UTF-8. Each byte of an invalid sequence decodes to U+FFFD, so bad text never stops
// a render (templates are checked before parsing; data comes from validated JSON).
std::u32string decode(std::string_view text);
void append_utf8(char32_t code_point, std::string& out);
std::string encode(std::u32string_view code_points);

bool is_ascii(std::string_view text);
std::size_t count_code_points(std::string_view text);

// Python's str.isspace() for one character.
bool is_space(char32_t code_point);
// The boundaries str.splitlines() breaks on (besides "\r\n", which counts as one).
bool is_line_break(char32_t code_point);
// False for characters Python's repr() escapes (controls, separators, format characters,
// private use).
bool is_printable(char32_t code_point);
// Letters and digits for `\w` and str.isalnum(), as far as the tables below reach (ASCII,
// Latin, Greek, Cyrillic, and CJK ideographs treated as letters).
bool is_alpha(char32_t code_point);
bool is_digit(char32_t code_point);

// Simple case mappings (Latin, Greek, Cyrillic, Armenian, fullwidth). Unmapped characters
// map to themselves. Python's special cases that change length (ß → SS) are applied by
// the string functions below.
char32_t to_upper(char32_t code_point);
char32_t to_lower(char32_t code_point);
bool is_cased(char32_t code_point);
bool is_upper(char32_t code_point);
bool is_lower(char32_t code_point);

// Python str.upper(), str.lower(), str.capitalize(), str.title().
std::string upper(std::string_view text);
std::string lower(std::string_view text);
std::string capitalize(std::string_view text);
std::string title(std::string_view text);

// Python str.strip()/lstrip()/rstrip(): with `chars` null, strips whitespace; otherwise any of
// the code points in *chars.
std::string strip(std::string_view text, const std::string* chars, bool left, bool right);

}  // namespace inhouse::chat::jinja::unicode
