// Splits template source into tokens the way jinja2's lexer does with the settings
// transformers uses for chat templates: trim_blocks and lstrip_blocks on,
// keep_trailing_newline off, "-" and "+" whitespace control, raw blocks, comments dropped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat/jinja/source_location.h"
#include "core/result.h"

namespace inhouse::chat::jinja {

enum class TokenKind : std::uint8_t {
    Data,           // template text, whitespace control already applied
    VariableBegin,  // {{
    VariableEnd,    // }}
    BlockBegin,     // {%
    BlockEnd,       // %}
    Name,
    String,  // text holds the decoded value
    Integer,
    Float,
    Operator,  // text holds the operator: "+", "//", "(", …
    End,       // end of the template
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text;
    std::int64_t integer = 0;
    double floating = 0.0;
    SourceLocation location;
};

// jinja2's preprocessing: "\r\n" and "\r" become "\n", and one trailing newline is dropped
// (keep_trailing_newline=False).
std::string normalize_newlines(std::string_view source);

// Tokenizes normalized source. Errors name the line and column.
Result<std::vector<Token>> tokenize(std::string_view source, std::string_view template_name);

}  // namespace inhouse::chat::jinja
