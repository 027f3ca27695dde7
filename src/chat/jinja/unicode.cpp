#include "chat/jinja/unicode.h"

#include <algorithm>

namespace inhouse::chat::jinja::unicode {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

struct Range {
    char32_t first;
    char32_t last;
};

bool in_ranges(char32_t code_point, const Range* ranges, std::size_t n_ranges) {
    for (std::size_t index = 0; index < n_ranges; ++index) {
        if (code_point >= ranges[index].first && code_point <= ranges[index].last) {
            return true;
        }
    }
    return false;
}

// Blocks where upper and lower case alternate: even code point upper, odd lower
// (or the reverse when `upper_is_odd`).
struct AlternatingBlock {
    char32_t first;
    char32_t last;
    bool upper_is_odd;
};

constexpr AlternatingBlock kAlternatingBlocks[] = {
    {0x0100, 0x012F, false}, {0x0132, 0x0137, false}, {0x0139, 0x0148, true},
    {0x014A, 0x0177, false}, {0x0179, 0x017E, true},  {0x0460, 0x0481, false},
    {0x048A, 0x04BF, false}, {0x04C1, 0x04CE, true},  {0x04D0, 0x052F, false},
    {0x1E00, 0x1E95, false}, {0x1EA0, 0x1EFF, false},
};

// Blocks where a contiguous upper-case run maps to a lower-case run at a fixed offset.
struct OffsetBlock {
    char32_t upper_first;
    char32_t upper_last;
    char32_t lower_first;
};

constexpr OffsetBlock kOffsetBlocks[] = {
    {U'A', U'Z', U'a'},       {0x00C0, 0x00D6, 0x00E0}, {0x00D8, 0x00DE, 0x00F8},
    {0x0391, 0x03A1, 0x03B1}, {0x03A3, 0x03AB, 0x03C3}, {0x0388, 0x038A, 0x03AD},
    {0x038E, 0x038F, 0x03CD}, {0x0410, 0x042F, 0x0430}, {0x0400, 0x040F, 0x0450},
    {0x0531, 0x0556, 0x0561}, {0xFF21, 0xFF3A, 0xFF41},
};

char32_t decode_one(std::string_view text, std::size_t& pos) {
    auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
        ++pos;
        return byte;
    }
    int n_continuation = 0;
    char32_t code_point = 0;
    char32_t minimum = 0;
    if ((byte & 0xE0) == 0xC0) {
        n_continuation = 1;
        code_point = byte & 0x1F;
        minimum = 0x80;
    } else if ((byte & 0xF0) == 0xE0) {
        n_continuation = 2;
        code_point = byte & 0x0F;
        minimum = 0x800;
    } else if ((byte & 0xF8) == 0xF0) {
        n_continuation = 3;
        code_point = byte & 0x07;
        minimum = 0x10000;
    } else {
        ++pos;
        return kReplacement;
    }
    if (pos + n_continuation >= text.size()) {
        ++pos;
        return kReplacement;
    }
    for (int offset = 1; offset <= n_continuation; ++offset) {
        auto next = static_cast<unsigned char>(text[pos + offset]);
        if ((next & 0xC0) != 0x80) {
            ++pos;
            return kReplacement;
        }
        code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < minimum || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
        ++pos;
        return kReplacement;
    }
    pos += n_continuation + 1;
    return code_point;
}

}  // namespace

std::u32string decode(std::string_view text) {
    std::u32string code_points;
    code_points.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        code_points.push_back(decode_one(text, pos));
    }
    return code_points;
}

void append_utf8(char32_t code_point, std::string& out) {
    if (code_point < 0x80) {
        out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else if (code_point < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
}

std::string encode(std::u32string_view code_points) {
    std::string out;
    out.reserve(code_points.size());
    for (char32_t code_point : code_points) {
        append_utf8(code_point, out);
    }
    return out;
}

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::size_t count_code_points(std::string_view text) {
    if (is_ascii(text)) {
        return text.size();
    }
    return decode(text).size();
}

bool is_space(char32_t code_point) {
    static constexpr Range kSpaces[] = {
        {0x09, 0x0D},     {0x1C, 0x20},     {0x85, 0x85},     {0xA0, 0xA0},     {0x1680, 0x1680},
        {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}};
    return in_ranges(code_point, kSpaces, std::size(kSpaces));
}

bool is_line_break(char32_t code_point) {
    static constexpr Range kBreaks[] = {{0x0A, 0x0D}, {0x1C, 0x1E}, {0x85, 0x85}, {0x2028, 0x2029}};
    return in_ranges(code_point, kBreaks, std::size(kBreaks));
}

bool is_printable(char32_t code_point) {
    if (code_point == U' ') {
        return true;
    }
    static constexpr Range kUnprintable[] = {
        {0x00, 0x1F},        {0x7F, 0xA0},     {0xAD, 0xAD},       {0x600, 0x605},
        {0x61C, 0x61C},      {0x6DD, 0x6DD},   {0x70F, 0x70F},     {0x1680, 0x1680},
        {0x180E, 0x180E},    {0x2000, 0x200F}, {0x2028, 0x202F},   {0x205F, 0x2064},
        {0x2066, 0x206F},    {0x3000, 0x3000}, {0xD800, 0xF8FF},   {0xFEFF, 0xFEFF},
        {0xFFF9, 0xFFFB},    {0xFFFE, 0xFFFF}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
        {0xF0000, 0x10FFFF},
    };
    return !in_ranges(code_point, kUnprintable, std::size(kUnprintable));
}

bool is_digit(char32_t code_point) {
    static constexpr Range kDigits[] = {
        {U'0', U'9'}, {0x660, 0x669}, {0x6F0, 0x6F9}, {0x966, 0x96F}, {0xFF10, 0xFF19}};
    return in_ranges(code_point, kDigits, std::size(kDigits));
}

bool is_alpha(char32_t code_point) {
    if (is_cased(code_point)) {
        return true;
    }
    static constexpr Range kLetters[] = {
        {0xAA, 0xAA},     {0xBA, 0xBA},     {0xDF, 0xDF},     {0x05D0, 0x05EA},
        {0x0620, 0x064A}, {0x0904, 0x0939}, {0x0E01, 0x0E30}, {0x3041, 0x3096},
        {0x30A1, 0x30FA}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3},
    };
    return in_ranges(code_point, kLetters, std::size(kLetters));
}

char32_t to_lower(char32_t code_point) {
    for (const OffsetBlock& block : kOffsetBlocks) {
        if (code_point >= block.upper_first && code_point <= block.upper_last) {
            return code_point - block.upper_first + block.lower_first;
        }
    }
    for (const AlternatingBlock& block : kAlternatingBlocks) {
        if (code_point >= block.first && code_point <= block.last &&
            ((code_point & 1) != 0) == block.upper_is_odd) {
            return code_point + 1;
        }
    }
    switch (code_point) {
        case 0x0178: return 0x00FF;
        case 0x0386: return 0x03AC;
        case 0x038C: return 0x03CC;
        case 0x0130: return U'i';
        default: return code_point;
    }
}

char32_t to_upper(char32_t code_point) {
    for (const OffsetBlock& block : kOffsetBlocks) {
        char32_t lower_last = block.lower_first + (block.upper_last - block.upper_first);
        if (code_point >= block.lower_first && code_point <= lower_last) {
            return code_point - block.lower_first + block.upper_first;
        }
    }
    for (const AlternatingBlock& block : kAlternatingBlocks) {
        if (code_point >= block.first && code_point <= block.last &&
            ((code_point & 1) != 0) != block.upper_is_odd) {
            return code_point - 1;
        }
    }
    switch (code_point) {
        case 0x00FF: return 0x0178;
        case 0x00B5: return 0x039C;
        case 0x03C2: return 0x03A3;
        case 0x03AC: return 0x0386;
        case 0x03CC: return 0x038C;
        case 0x0131: return U'I';
        case 0x017F: return U'S';
        default: return code_point;
    }
}

bool is_upper(char32_t code_point) {
    return to_lower(code_point) != code_point;
}

bool is_lower(char32_t code_point) {
    return to_upper(code_point) != code_point || code_point == 0xDF;
}

bool is_cased(char32_t code_point) {
    return is_upper(code_point) || is_lower(code_point);
}

std::string upper(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t code_point : decode(text)) {
        if (code_point == 0xDF) {
            out += "SS";  // Python's full case mapping of ß
        } else {
            append_utf8(to_upper(code_point), out);
        }
    }
    return out;
}

std::string lower(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t code_point : decode(text)) {
        append_utf8(to_lower(code_point), out);
        if (code_point == 0x0130) {
            append_utf8(0x0307, out);  // İ lowers to i + combining dot above
        }
    }
    return out;
}

std::string capitalize(std::string_view text) {
    std::u32string code_points = decode(text);
    std::string out;
    out.reserve(text.size());
    for (std::size_t index = 0; index < code_points.size(); ++index) {
        char32_t code_point = code_points[index];
        if (index == 0) {
            if (code_point == 0xDF) {
                out += "Ss";
                continue;
            }
            append_utf8(to_upper(code_point), out);
        } else {
            append_utf8(to_lower(code_point), out);
        }
    }
    return out;
}

std::string title(std::string_view text) {
    // Python's str.title(): a cased character after an uncased one starts a word.
    std::string out;
    out.reserve(text.size());
    bool previous_cased = false;
    for (char32_t code_point : decode(text)) {
        if (previous_cased) {
            append_utf8(to_lower(code_point), out);
        } else if (code_point == 0xDF) {
            out += "Ss";
        } else {
            append_utf8(to_upper(code_point), out);
        }
        previous_cased = is_cased(code_point);
    }
    return out;
}

std::string strip(std::string_view text, const std::string* chars, bool left, bool right) {
    std::u32string code_points = decode(text);
    std::u32string strip_set = chars ? decode(*chars) : std::u32string();
    auto should_strip = [&](char32_t code_point) {
        return chars ? strip_set.find(code_point) != std::u32string::npos : is_space(code_point);
    };
    std::size_t begin = 0;
    std::size_t end = code_points.size();
    while (left && begin < end && should_strip(code_points[begin])) {
        ++begin;
    }
    while (right && end > begin && should_strip(code_points[end - 1])) {
        --end;
    }
    return encode(std::u32string_view(code_points).substr(begin, end - begin));
}

}  // namespace inhouse::chat::jinja::unicode
