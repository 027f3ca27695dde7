#include "chat/jinja/python_text.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

void append_hex_escape(char32_t code_point, std::string& out) {
    const char* prefix = code_point < 0x100 ? "\\x" : (code_point < 0x10000 ? "\\u" : "\\U");
    int width = code_point < 0x100 ? 2 : (code_point < 0x10000 ? 4 : 8);
    out += fmt::format("{}{:0{}x}", prefix, static_cast<std::uint32_t>(code_point), width);
}

std::string_view trim_ascii_and_unicode_space(std::string_view text, std::string& storage) {
    storage = unicode::strip(text, nullptr, true, true);
    return storage;
}

}  // namespace

std::string format_float(double value) {
    if (std::isnan(value)) {
        return "nan";
    }
    if (std::isinf(value)) {
        return value > 0 ? "inf" : "-inf";
    }
    char buffer[64];
    auto [end, error] =
        std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
    std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
    std::string out;
    if (text.front() == '-') {
        out.push_back('-');
        text.remove_prefix(1);
    }
    std::size_t e_pos = text.find('e');
    std::string digits;
    for (char c : text.substr(0, e_pos)) {
        if (c != '.') {
            digits.push_back(c);
        }
    }
    int exponent = 0;
    std::string_view exponent_text = text.substr(e_pos + 1);
    if (exponent_text.front() == '+') {
        exponent_text.remove_prefix(1);
    }
    std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
    // Python's repr switches to exponent form outside 1e-4 <= |x| < 1e16.
    int decimal_point = exponent + 1;
    auto n_digits = static_cast<int>(digits.size());
    if (decimal_point > -4 && decimal_point <= 16) {
        if (decimal_point <= 0) {
            out.append("0.");
            out.append(static_cast<std::size_t>(-decimal_point), '0');
            out.append(digits);
        } else if (decimal_point >= n_digits) {
            out.append(digits);
            out.append(static_cast<std::size_t>(decimal_point - n_digits), '0');
            out.append(".0");
        } else {
            out.append(digits, 0, static_cast<std::size_t>(decimal_point));
            out.push_back('.');
            out.append(digits, static_cast<std::size_t>(decimal_point));
        }
        return out;
    }
    out.push_back(digits[0]);
    if (n_digits > 1) {
        out.push_back('.');
        out.append(digits, 1);
    }
    out.append(fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent)));
    return out;
}

std::string repr_string(std::string_view text) {
    bool has_single = text.find('\'') != std::string_view::npos;
    bool has_double = text.find('"') != std::string_view::npos;
    char quote = (has_single && !has_double) ? '"' : '\'';
    std::string out(1, quote);
    for (char32_t code_point : unicode::decode(text)) {
        if (code_point == static_cast<char32_t>(quote) || code_point == U'\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(code_point));
        } else if (code_point == U'\n') {
            out += "\\n";
        } else if (code_point == U'\r') {
            out += "\\r";
        } else if (code_point == U'\t') {
            out += "\\t";
        } else if (!unicode::is_printable(code_point)) {
            append_hex_escape(code_point, out);
        } else {
            unicode::append_utf8(code_point, out);
        }
    }
    out.push_back(quote);
    return out;
}

std::optional<std::int64_t> parse_python_int(std::string_view text) {
    std::string storage;
    text = trim_ascii_and_unicode_space(text, storage);
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    std::string digits;
    for (std::size_t index = 0; index < text.size(); ++index) {
        char c = text[index];
        if (c == '_' && index > 0 && index + 1 < text.size() && text[index - 1] != '_') {
            continue;
        }
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        digits.push_back(c);
    }
    if (digits.empty()) {
        return std::nullopt;
    }
    if (negative) {
        digits.insert(digits.begin(), '-');
    }
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (error != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return number;
}

std::optional<double> parse_python_float(std::string_view text) {
    std::string storage;
    text = trim_ascii_and_unicode_space(text, storage);
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    std::string cleaned;
    for (std::size_t index = 0; index < text.size(); ++index) {
        char c = text[index];
        bool digit_before = index > 0 && text[index - 1] >= '0' && text[index - 1] <= '9';
        bool digit_after =
            index + 1 < text.size() && text[index + 1] >= '0' && text[index + 1] <= '9';
        if (c == '_' && digit_before && digit_after) {
            continue;
        }
        if (c == '+' || c == '-') {
            // Only an exponent may carry a sign after the first character.
            if (index == 0 || (text[index - 1] != 'e' && text[index - 1] != 'E')) {
                return std::nullopt;
            }
        }
        cleaned.push_back(c);
    }
    if (cleaned.empty()) {
        return std::nullopt;
    }
    double number = 0.0;
    auto [end, error] = std::from_chars(cleaned.data(), cleaned.data() + cleaned.size(), number);
    if (end != cleaned.data() + cleaned.size() ||
        (error != std::errc() && error != std::errc::result_out_of_range)) {
        return std::nullopt;
    }
    return negative ? -number : number;
}

}  // namespace inhouse::chat::jinja
