#include "tokenizer/utf8_repair.h"

namespace inhouse::tokenizer {

namespace {

constexpr std::uint32_t kReplacement = 0xFFFD;

bool is_continuation(std::string_view bytes, std::size_t index) {
    return index < bytes.size() && (static_cast<std::uint8_t>(bytes[index]) & 0xC0) == 0x80;
}

// Decodes one sequence at `offset` (advancing it), or returns kReplacement and advances by one.
// Surrogates are returned as they are; code points past U+10FFFF become kReplacement.
std::uint32_t decode_lenient(std::string_view bytes, std::size_t& offset) {
    const auto lead = static_cast<std::uint8_t>(bytes[offset]);
    int length = 0;
    std::uint32_t code_point = 0;
    if (lead < 0x80) {
        ++offset;
        return lead;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2;
        code_point = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        code_point = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        code_point = lead & 0x07u;
    } else {
        ++offset;
        return kReplacement;
    }
    for (int i = 1; i < length; ++i) {
        if (!is_continuation(bytes, offset + static_cast<std::size_t>(i))) {
            ++offset;
            return kReplacement;
        }
        code_point = (code_point << 6) | (static_cast<std::uint8_t>(bytes[offset + static_cast<std::size_t>(i)]) & 0x3Fu);
    }
    offset += static_cast<std::size_t>(length);
    return code_point > 0x10FFFF ? kReplacement : code_point;
}

}  // namespace

void append_utf8(std::string& out, std::uint32_t code_point) {
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

std::string repair_utf8(std::string_view bytes, bool keep_surrogates, bool* saw_surrogate) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t offset = 0; offset < bytes.size();) {
        // Fast path for ASCII runs, by far the common case.
        if (static_cast<std::uint8_t>(bytes[offset]) < 0x80) {
            out.push_back(bytes[offset++]);
            continue;
        }
        const std::uint32_t code_point = decode_lenient(bytes, offset);
        const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
        if (surrogate && saw_surrogate != nullptr) *saw_surrogate = true;
        append_utf8(out, surrogate && !keep_surrogates ? kReplacement : code_point);
    }
    return out;
}

}  // namespace inhouse::tokenizer
