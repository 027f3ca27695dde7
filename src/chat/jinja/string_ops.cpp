#include "chat/jinja/string_ops.h"

#include <algorithm>

#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

// Splits on runs of whitespace, scanning code points; `from_end` takes pieces from the right.
std::vector<std::string> split_on_whitespace(std::string_view text, std::int64_t max_split,
                                             bool from_end) {
    std::u32string code_points = unicode::decode(text);
    if (from_end) {
        std::reverse(code_points.begin(), code_points.end());
    }
    std::vector<std::u32string> pieces;
    std::size_t pos = 0;
    while (true) {
        while (pos < code_points.size() && unicode::is_space(code_points[pos])) {
            ++pos;
        }
        if (pos >= code_points.size()) {
            break;
        }
        if (max_split >= 0 && static_cast<std::int64_t>(pieces.size()) >= max_split) {
            // The rest, with trailing whitespace kept as Python does.
            pieces.push_back(code_points.substr(pos));
            break;
        }
        std::size_t end = pos;
        while (end < code_points.size() && !unicode::is_space(code_points[end])) {
            ++end;
        }
        pieces.push_back(code_points.substr(pos, end - pos));
        pos = end;
    }
    std::vector<std::string> out;
    for (auto& piece : pieces) {
        if (from_end) {
            std::reverse(piece.begin(), piece.end());
        }
        out.push_back(unicode::encode(piece));
    }
    if (from_end) {
        std::reverse(out.begin(), out.end());
    }
    return out;
}

}  // namespace

std::vector<std::string> python_split(std::string_view text, const std::string* separator,
                                      std::int64_t max_split) {
    if (separator == nullptr) {
        return split_on_whitespace(text, max_split, false);
    }
    std::vector<std::string> pieces;
    std::size_t pos = 0;
    while (max_split < 0 || static_cast<std::int64_t>(pieces.size()) < max_split) {
        std::size_t found = text.find(*separator, pos);
        if (found == std::string_view::npos) {
            break;
        }
        pieces.emplace_back(text.substr(pos, found - pos));
        pos = found + separator->size();
    }
    pieces.emplace_back(text.substr(pos));
    return pieces;
}

std::vector<std::string> python_rsplit(std::string_view text, const std::string* separator,
                                       std::int64_t max_split) {
    if (separator == nullptr) {
        return split_on_whitespace(text, max_split, true);
    }
    std::vector<std::string> pieces;
    std::size_t end = text.size();
    while (max_split < 0 || static_cast<std::int64_t>(pieces.size()) < max_split) {
        if (end < separator->size()) {
            break;
        }
        std::size_t found = text.rfind(*separator, end - separator->size());
        if (found == std::string_view::npos) {
            break;
        }
        pieces.emplace_back(
            text.substr(found + separator->size(), end - found - separator->size()));
        end = found;
    }
    pieces.emplace_back(text.substr(0, end));
    std::reverse(pieces.begin(), pieces.end());
    return pieces;
}

std::vector<std::string> python_splitlines(std::string_view text, bool keep_ends) {
    std::u32string code_points = unicode::decode(text);
    std::vector<std::string> lines;
    std::size_t begin = 0;
    std::size_t pos = 0;
    while (pos < code_points.size()) {
        if (!unicode::is_line_break(code_points[pos])) {
            ++pos;
            continue;
        }
        std::size_t break_length = (code_points[pos] == U'\r' && pos + 1 < code_points.size() &&
                                    code_points[pos + 1] == U'\n')
                                       ? 2
                                       : 1;
        std::size_t end = keep_ends ? pos + break_length : pos;
        lines.push_back(
            unicode::encode(std::u32string_view(code_points).substr(begin, end - begin)));
        pos += break_length;
        begin = pos;
    }
    if (begin < code_points.size()) {
        lines.push_back(unicode::encode(std::u32string_view(code_points).substr(begin)));
    }
    return lines;
}

std::string python_replace(std::string_view text, std::string_view old,
                           std::string_view replacement, std::int64_t count) {
    std::string out;
    std::int64_t n_done = 0;
    auto may_replace = [&] { return count < 0 || n_done < count; };
    if (old.empty()) {
        std::u32string code_points = unicode::decode(text);
        for (char32_t code_point : code_points) {
            if (may_replace()) {
                out += replacement;
                ++n_done;
            }
            unicode::append_utf8(code_point, out);
        }
        if (may_replace()) {
            out += replacement;
        }
        return out;
    }
    std::size_t pos = 0;
    while (may_replace()) {
        std::size_t found = text.find(old, pos);
        if (found == std::string_view::npos) {
            break;
        }
        out += text.substr(pos, found - pos);
        out += replacement;
        pos = found + old.size();
        ++n_done;
    }
    out += text.substr(pos);
    return out;
}

std::int64_t python_count(std::string_view text, std::string_view sub) {
    if (sub.empty()) {
        return code_point_length(text) + 1;
    }
    std::int64_t n_found = 0;
    for (std::size_t pos = text.find(sub); pos != std::string_view::npos;
         pos = text.find(sub, pos + sub.size())) {
        ++n_found;
    }
    return n_found;
}

std::int64_t python_find(std::string_view text, std::string_view sub, bool from_end) {
    std::size_t found = from_end ? text.rfind(sub) : text.find(sub);
    if (found == std::string_view::npos) {
        return -1;
    }
    return code_point_length(text.substr(0, found));
}

std::int64_t code_point_length(std::string_view text) {
    return static_cast<std::int64_t>(unicode::count_code_points(text));
}

}  // namespace inhouse::chat::jinja
