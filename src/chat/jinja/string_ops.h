// Python str operations on UTF-8 text, shared by string methods and filters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inhouse::chat::jinja {

// str.split(sep, maxsplit) and str.rsplit: with `separator` null, splits on runs of
// whitespace and drops empty pieces. `separator` must not be empty. max_split < 0: no limit.
std::vector<std::string> python_split(std::string_view text, const std::string* separator,
                                      std::int64_t max_split);
std::vector<std::string> python_rsplit(std::string_view text, const std::string* separator,
                                       std::int64_t max_split);
// str.splitlines(keepends).
std::vector<std::string> python_splitlines(std::string_view text, bool keep_ends);
// str.replace(old, new, count); an empty `old` inserts `replacement` between characters.
std::string python_replace(std::string_view text, std::string_view old,
                           std::string_view replacement, std::int64_t count);
// str.count(sub): non-overlapping occurrences.
std::int64_t python_count(std::string_view text, std::string_view sub);
// str.find / str.rfind: the code-point index, or -1.
std::int64_t python_find(std::string_view text, std::string_view sub, bool from_end);
// Length of `text` in code points.
std::int64_t code_point_length(std::string_view text);

}  // namespace inhouse::chat::jinja
