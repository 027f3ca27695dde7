// UTF-8 validation: strings from untrusted files are checked before anyone prints them.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace inhouse {

// Returns the byte offset of the first invalid sequence (overlong forms, surrogates and code
// points past U+10FFFF are invalid), or nullopt when the whole text is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) { return !find_invalid_utf8(text).has_value(); }

}  // namespace inhouse
