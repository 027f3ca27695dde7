#include "sampling/stop_strings.h"

#include <algorithm>
#include <cstdint>

namespace inhouse::sampling {

namespace {

// Bytes of an unfinished UTF-8 character at the end of `text`: 0 when the text ends on a
// character boundary or on bytes that cannot belong to a character (those are passed through;
// repairing them is the stream decoder's job).
std::size_t incomplete_utf8_tail(std::string_view text) {
    const std::size_t n_checked = std::min<std::size_t>(text.size(), 3);
    for (std::size_t back = 1; back <= n_checked; ++back) {
        const auto byte = static_cast<std::uint8_t>(text[text.size() - back]);
        if ((byte & 0xC0) == 0x80) {
            continue;  // continuation byte: look further back for its lead
        }
        std::size_t length = 0;
        if (byte >= 0xC2 && byte <= 0xDF) {
            length = 2;
        } else if (byte >= 0xE0 && byte <= 0xEF) {
            length = 3;
        } else if (byte >= 0xF0 && byte <= 0xF4) {
            length = 4;
        }
        return length > back ? back : 0;
    }
    return 0;
}

}  // namespace

StopStringMatcher::StopStringMatcher(std::vector<std::string> stop_strings) {
    for (std::string& stop : stop_strings) {
        if (!stop.empty()) {
            stop_strings_.push_back(std::move(stop));
        }
    }
}

std::string StopStringMatcher::push(std::string_view chunk) {
    if (is_stopped()) {
        return {};
    }
    held_.append(chunk);
    // Every match begins inside held_ (emitted text never ended in a stop-string prefix) and
    // completes in this chunk. The one that completes first wins, as it would have had the text
    // come one byte at a time: the result must not depend on how tokens cut the text.
    std::size_t match_at = std::string::npos;
    std::size_t match_end = std::string::npos;
    for (std::size_t index = 0; index < stop_strings_.size(); ++index) {
        const std::size_t found = held_.find(stop_strings_[index]);
        if (found == std::string::npos) {
            continue;
        }
        const std::size_t end = found + stop_strings_[index].size();
        if (end < match_end || (end == match_end && found < match_at)) {
            match_at = found;
            match_end = end;
            matched_ = index;
        }
    }
    if (matched_) {
        std::string emitted = held_.substr(0, match_at);
        held_.clear();
        return emitted;
    }
    const std::size_t n_emitted =
        held_.size() - std::max(held_prefix_length(), incomplete_utf8_tail(held_));
    std::string emitted = held_.substr(0, n_emitted);
    held_.erase(0, n_emitted);
    return emitted;
}

std::string StopStringMatcher::finish() {
    std::string rest = std::move(held_);
    held_.clear();
    return is_stopped() ? std::string() : rest;
}

std::size_t StopStringMatcher::held_prefix_length() const {
    // The longest tail of held_ that some stop string starts with. A stop string's tails are
    // tried longest first, so the first hit is that string's best; held_ holds no complete stop
    // string here, so only proper prefixes can match.
    std::size_t longest = 0;
    const std::string_view held = held_;
    for (const std::string& stop : stop_strings_) {
        const std::size_t n_max = std::min(held.size(), stop.size() - 1);
        for (std::size_t length = n_max; length > longest; --length) {
            if (held.ends_with(std::string_view(stop).substr(0, length))) {
                longest = length;
                break;
            }
        }
    }
    return longest;
}

}  // namespace inhouse::sampling
