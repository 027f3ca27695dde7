#include "core/utf8.h"

#include <cstdint>

namespace inhouse {

namespace {

// Length of the sequence that starts with `lead`, or 0 for a byte that cannot start one.
int sequence_length(std::uint8_t lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

bool is_continuation(std::uint8_t byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::uint8_t lead = bytes[pos];
        const int length = sequence_length(lead);
        if (length == 0 || pos + static_cast<std::size_t>(length) > text.size()) return pos;
        for (int i = 1; i < length; ++i) {
            if (!is_continuation(bytes[pos + static_cast<std::size_t>(i)])) return pos;
        }
        // The second byte narrows the range for E0 (no overlongs), ED (no surrogates),
        // F0 (no overlongs) and F4 (nothing past U+10FFFF).
        const std::uint8_t second = length > 1 ? bytes[pos + 1] : 0;
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
            (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
            return pos;
        }
        pos += static_cast<std::size_t>(length);
    }
    return std::nullopt;
}

}  // namespace inhouse
