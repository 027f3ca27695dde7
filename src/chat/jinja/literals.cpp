#include "chat/jinja/literals.h"

#include <charconv>
#include <optional>

#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Reads exactly `n_digits` hex digits at pos.
std::optional<char32_t> read_hex(std::string_view body, std::size_t pos, int n_digits) {
    if (pos + static_cast<std::size_t>(n_digits) > body.size()) {
        return std::nullopt;
    }
    char32_t value = 0;
    for (int index = 0; index < n_digits; ++index) {
        int digit = hex_value(body[pos + static_cast<std::size_t>(index)]);
        if (digit < 0) {
            return std::nullopt;
        }
        value = value * 16 + static_cast<char32_t>(digit);
    }
    return value;
}

// What Python's "backslashreplace" makes of a non-ASCII character, minus its backslash:
// jinja2 applies it before decoding, so "\é" decodes to the text "\xe9".
std::string backslash_replacement_tail(char32_t code_point) {
    if (code_point < 0x100) {
        return fmt::format("x{:02x}", static_cast<std::uint32_t>(code_point));
    }
    if (code_point < 0x10000) {
        return fmt::format("u{:04x}", static_cast<std::uint32_t>(code_point));
    }
    return fmt::format("U{:08x}", static_cast<std::uint32_t>(code_point));
}

}  // namespace

std::optional<std::size_t> find_string_literal_end(std::string_view source, std::size_t start) {
    char quote = source[start];
    for (std::size_t pos = start + 1; pos < source.size(); ++pos) {
        if (source[pos] == '\\') {
            ++pos;
        } else if (source[pos] == quote) {
            return pos + 1;
        }
    }
    return std::nullopt;
}

Result<std::string> decode_string_literal(std::string_view body) {
    std::string out;
    out.reserve(body.size());
    std::size_t pos = 0;
    while (pos < body.size()) {
        char c = body[pos];
        if (c != '\\' || pos + 1 >= body.size()) {
            out.push_back(c);
            ++pos;
            continue;
        }
        char escape = body[pos + 1];
        pos += 2;
        switch (escape) {
            case '\n': continue;
            case '\\': out.push_back('\\'); continue;
            case '\'': out.push_back('\''); continue;
            case '"': out.push_back('"'); continue;
            case 'a': out.push_back('\a'); continue;
            case 'b': out.push_back('\b'); continue;
            case 'f': out.push_back('\f'); continue;
            case 'n': out.push_back('\n'); continue;
            case 'r': out.push_back('\r'); continue;
            case 't': out.push_back('\t'); continue;
            case 'v': out.push_back('\v'); continue;
            default: break;
        }
        if (escape >= '0' && escape <= '7') {
            char32_t value = static_cast<char32_t>(escape - '0');
            for (int n_more = 0;
                 n_more < 2 && pos < body.size() && body[pos] >= '0' && body[pos] <= '7';
                 ++n_more, ++pos) {
                value = value * 8 + static_cast<char32_t>(body[pos] - '0');
            }
            unicode::append_utf8(value, out);
            continue;
        }
        if (escape == 'x' || escape == 'u' || escape == 'U') {
            int n_digits = escape == 'x' ? 2 : (escape == 'u' ? 4 : 8);
            std::optional<char32_t> value = read_hex(body, pos, n_digits);
            if (!value) {
                return make_error(ErrorCode::InvalidFormat, "truncated \\{}{} escape", escape,
                                  std::string(static_cast<std::size_t>(n_digits), 'X'));
            }
            if (*value > 0x10FFFF || (*value >= 0xD800 && *value <= 0xDFFF)) {
                return make_error(ErrorCode::InvalidFormat, "illegal Unicode character");
            }
            unicode::append_utf8(*value, out);
            pos += static_cast<std::size_t>(n_digits);
            continue;
        }
        if (escape == 'N') {
            return make_error(ErrorCode::InvalidFormat, "\\N{{…}} escapes are not supported");
        }
        out.push_back('\\');
        if (static_cast<unsigned char>(escape) >= 0x80) {
            // Decode the whole character that follows the backslash.
            std::size_t char_begin = pos - 1;
            std::size_t char_end = char_begin + 1;
            while (char_end < body.size() &&
                   (static_cast<unsigned char>(body[char_end]) & 0xC0) == 0x80) {
                ++char_end;
            }
            std::u32string decoded =
                unicode::decode(body.substr(char_begin, char_end - char_begin));
            out += backslash_replacement_tail(decoded.front());
            for (std::size_t index = 1; index < decoded.size(); ++index) {
                unicode::append_utf8(decoded[index], out);
            }
            pos = char_end;
            continue;
        }
        out.push_back(escape);
    }
    return out;
}

// jinja2's number rules: a float is digits with a fraction, an exponent or both
// (`(\d+_)*\d+` runs, not right after a dot); an integer is 0b…, 0o…, 0x… with single
// underscores between digits, [1-9](_?\d)* or 0(_?0)*.
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Length of `digits(_digits)*` at pos, or 0.
std::size_t digit_run(std::string_view text, std::size_t pos) {
    std::size_t end = pos;
    while (end < text.size() && is_digit(text[end])) {
        ++end;
        if (end + 1 < text.size() && text[end] == '_' && is_digit(text[end + 1])) {
            ++end;
        }
    }
    return end - pos;
}

// End of a float literal at start, or nullopt when the text there is not a float.
std::optional<std::size_t> float_end(std::string_view source, std::size_t start) {
    std::size_t end = start + digit_run(source, start);
    bool is_float = false;
    bool preceded_by_dot = start > 0 && source[start - 1] == '.';
    if (preceded_by_dot) {
        return std::nullopt;
    }
    if (end + 1 < source.size() && source[end] == '.' && is_digit(source[end + 1])) {
        end += 1 + digit_run(source, end + 1);
        is_float = true;
    }
    if (end < source.size() && (source[end] == 'e' || source[end] == 'E')) {
        std::size_t exponent = end + 1;
        if (exponent < source.size() && (source[exponent] == '+' || source[exponent] == '-')) {
            ++exponent;
        }
        std::size_t n_digits = exponent < source.size() ? digit_run(source, exponent) : 0;
        if (n_digits > 0) {
            end = exponent + n_digits;
            is_float = true;
        }
    }
    return is_float ? std::optional<std::size_t>(end) : std::nullopt;
}

// Digits allowed by `is_allowed`, each optionally after one underscore: `(_?d)*` from `from`.
template <typename Predicate>
std::size_t underscored_run(std::string_view source, std::size_t from, Predicate is_allowed) {
    std::size_t end = from;
    while (end < source.size()) {
        std::size_t next = end + (source[end] == '_' ? 1 : 0);
        if (next < source.size() && is_allowed(source[next])) {
            end = next + 1;
        } else {
            break;
        }
    }
    return end;
}

// The base and digit span of an integer literal at start.
struct IntegerSpan {
    int base = 10;
    std::size_t digits_begin = 0;
    std::size_t end = 0;
};

IntegerSpan integer_span(std::string_view source, std::size_t start) {
    auto is_binary = [](char c) { return c == '0' || c == '1'; };
    auto is_octal = [](char c) { return c >= '0' && c <= '7'; };
    auto is_hex = [](char c) {
        return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    char prefix = start + 1 < source.size() ? source[start + 1] : '\0';
    if (source[start] == '0' && prefix != '\0' &&
        std::string_view("bBoOxX").find(prefix) != std::string_view::npos) {
        int base = (prefix == 'b' || prefix == 'B') ? 2 : (prefix == 'o' || prefix == 'O') ? 8 : 16;
        std::size_t end = base == 2   ? underscored_run(source, start + 2, is_binary)
                          : base == 8 ? underscored_run(source, start + 2, is_octal)
                                      : underscored_run(source, start + 2, is_hex);
        if (end > start + 2) {
            return {base, start + 2, end};
        }
    }
    std::size_t end = source[start] == '0'
                          ? underscored_run(source, start + 1, [](char c) { return c == '0'; })
                          : underscored_run(source, start + 1, is_digit);
    return {10, start, end};
}

std::string without_underscores(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c != '_') {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

Result<NumberLiteral> scan_number(std::string_view source, std::size_t start) {
    NumberLiteral number;
    if (std::optional<std::size_t> end = float_end(source, start)) {
        std::string text = without_underscores(source.substr(start, *end - start));
        std::from_chars(text.data(), text.data() + text.size(), number.floating);
        number.end = *end;
        number.is_float = true;
        return number;
    }
    IntegerSpan span = integer_span(source, start);
    std::string digits =
        without_underscores(source.substr(span.digits_begin, span.end - span.digits_begin));
    auto [parsed_end, error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), number.integer, span.base);
    if (error != std::errc() || parsed_end != digits.data() + digits.size()) {
        return make_error(ErrorCode::InvalidFormat, "integer literal too large");
    }
    number.end = span.end;
    return number;
}

}  // namespace inhouse::chat::jinja
