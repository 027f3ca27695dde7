// StopStringMatcher: finds stop strings in streamed text. Text arrives in arbitrary chunks (token
// pieces, which may split a stop string or a UTF-8 character); it is released as soon as it can
// no longer be part of a stop string, and a match ends the stream with the text before it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace inhouse::sampling {

class StopStringMatcher {
public:
    // Empty strings are ignored (validate() refuses them; they would match before any text).
    explicit StopStringMatcher(std::vector<std::string> stop_strings);

    // Appends a chunk and returns the text that is now safe to emit (possibly empty). Held back:
    // the longest tail that is a proper prefix of some stop string, and an incomplete UTF-8
    // character at the end, so each returned piece ends on a character boundary when the input
    // is valid UTF-8. When a stop string completes, returns the text up to its first byte and
    // the matcher is stopped (OpenAI: the stop string is not part of the output). The stop
    // string that completes first wins: the one ending earliest in the text, the longer one on a
    // tie, so the outcome does not depend on how the text was cut into chunks. After a stop
    // every push returns "".
    std::string push(std::string_view chunk);

    // Ends the stream: returns the text still held back ("" once stopped).
    std::string finish();

    bool is_stopped() const { return matched_.has_value(); }
    // Index into the constructor's list of the stop string that matched.
    std::optional<std::size_t> matched_stop_index() const { return matched_; }

private:
    std::size_t held_prefix_length() const;

    std::vector<std::string> stop_strings_;
    std::string held_;  // not yet emitted; after each push shorter than the longest stop string + 3
    std::optional<std::size_t> matched_;
};

}  // namespace inhouse::sampling
