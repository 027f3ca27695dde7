#include "tokenizer/stream_decoder.h"

#include <cstdint>

namespace inhouse::tokenizer {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Expected length of a sequence starting with `lead`, or 0 if it cannot start one.
std::size_t sequence_length(std::uint8_t lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

// Whether byte `index` (≥ 1) of a sequence led by `lead` may be `byte` (rules out overlongs,
// surrogates and code points past U+10FFFF).
bool is_valid_continuation(std::uint8_t lead, std::size_t index, std::uint8_t byte) {
    if ((byte & 0xC0) != 0x80) return false;
    if (index != 1) return true;
    if (lead == 0xE0) return byte >= 0xA0;
    if (lead == 0xED) return byte <= 0x9F;
    if (lead == 0xF0) return byte >= 0x90;
    if (lead == 0xF4) return byte <= 0x8F;
    return true;
}

}  // namespace

std::string StreamDecoder::push(std::string_view piece) {
    std::string out;
    for (const char c : piece) {
        const auto byte = static_cast<std::uint8_t>(c);
        if (!pending_.empty()) {
            const auto lead = static_cast<std::uint8_t>(pending_[0]);
            if (is_valid_continuation(lead, pending_.size(), byte)) {
                pending_.push_back(c);
                if (pending_.size() == sequence_length(lead)) {
                    out += pending_;
                    pending_.clear();
                }
                continue;
            }
            out += kReplacement;  // the held sequence can never complete
            pending_.clear();
        }
        const std::size_t length = sequence_length(byte);
        if (length == 1) {
            out.push_back(c);
        } else if (length == 0) {
            out += kReplacement;
        } else {
            pending_.push_back(c);
        }
    }
    return out;
}

std::string StreamDecoder::finish() {
    if (pending_.empty()) return {};
    pending_.clear();
    return std::string(kReplacement);
}

}  // namespace inhouse::tokenizer
