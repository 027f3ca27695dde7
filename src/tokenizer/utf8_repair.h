// Turns arbitrary bytes into the code points llama.cpp's tokenizer reads from them: each byte
// that does not start a well-formed sequence becomes U+FFFD and overlong forms are decoded.
// Surrogate code points have no valid UTF-8; they are written as U+FFFD (same length, same
// regex class) or, with `keep_surrogates`, as their 3-byte encoding, so both strings align.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace inhouse::tokenizer {

std::string repair_utf8(std::string_view bytes, bool keep_surrogates = false,
                        bool* saw_surrogate = nullptr);
void append_utf8(std::string& out, std::uint32_t code_point);

}  // namespace inhouse::tokenizer
