#include "chat/jinja/string_literal.h"

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

}  // namespace inhouse::chat::jinja
