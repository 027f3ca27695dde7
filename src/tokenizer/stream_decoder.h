// Turns a stream of token pieces into text that only ever contains complete UTF-8 characters:
// a character split across tokens is held back until its last byte arrives, and bytes that can
// never form a character are emitted as U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace inhouse::tokenizer {

class StreamDecoder {
public:
    // Adds a token's bytes; returns the text that is now complete (possibly empty).
    std::string push(std::string_view piece);
    // Ends the stream: an unfinished character becomes U+FFFD.
    std::string finish();

private:
    std::string pending_;  // an incomplete but so far valid UTF-8 prefix, at most 3 bytes
};

}  // namespace inhouse::tokenizer
