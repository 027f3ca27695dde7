#include "chat/jinja/lexer.h"

#include <algorithm>
#include <optional>

#include "chat/jinja/literals.h"
#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
    return is_name_start(c) || is_digit(c);
}

// Length of the Python whitespace character at `pos`, or 0.
std::size_t space_length(std::string_view text, std::size_t pos) {
    auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
        return unicode::is_space(byte) ? 1 : 0;
    }
    std::size_t length = (byte & 0xE0) == 0xC0 ? 2 : (byte & 0xF0) == 0xE0 ? 3 : 4;
    if (pos + length > text.size()) {
        return 0;
    }
    std::u32string decoded = unicode::decode(text.substr(pos, length));
    return decoded.size() == 1 && unicode::is_space(decoded[0]) ? length : 0;
}

std::size_t skip_spaces(std::string_view text, std::size_t pos) {
    while (pos < text.size()) {
        std::size_t length = space_length(text, pos);
        if (length == 0) {
            break;
        }
        pos += length;
    }
    return pos;
}

bool is_all_space(std::string_view text) {
    return !text.empty() && skip_spaces(text, 0) == text.size();
}

std::string_view rstrip_spaces(std::string_view text) {
    std::u32string decoded = unicode::decode(text);
    std::size_t n_bytes = text.size();
    while (!decoded.empty() && unicode::is_space(decoded.back())) {
        std::string encoded;
        unicode::append_utf8(decoded.back(), encoded);
        n_bytes -= encoded.size();
        decoded.pop_back();
    }
    return text.substr(0, n_bytes);
}

class Lexer {
public:
    Lexer(std::string_view source, std::string_view template_name)
        : source_(source), template_name_(template_name) {
        line_starts_.push_back(0);
        for (std::size_t pos = 0; pos < source.size(); ++pos) {
            if (source[pos] == '\n') {
                line_starts_.push_back(pos + 1);
            }
        }
    }

    Result<std::vector<Token>> run() {
        while (pos_ < source_.size()) {
            INHOUSE_RETURN_IF_ERROR(lex_root());
        }
        emit(TokenKind::End, "", source_.size());
        return std::move(tokens_);
    }

private:
    SourceLocation location_of(std::size_t offset) const {
        auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
        std::size_t line_start = *(it - 1);
        int column = 1;
        for (std::size_t pos = line_start; pos < offset && pos < source_.size(); ++pos) {
            if ((static_cast<unsigned char>(source_[pos]) & 0xC0) != 0x80) {
                ++column;
            }
        }
        return {static_cast<int>(it - line_starts_.begin()), column};
    }

    Error fail(std::size_t offset, std::string_view message) const {
        return template_error(ErrorCode::InvalidFormat, template_name_, location_of(offset),
                              message);
    }

    Token& emit(TokenKind kind, std::string text, std::size_t offset) {
        Token token;
        token.kind = kind;
        token.text = std::move(text);
        token.location = location_of(offset);
        tokens_.push_back(std::move(token));
        return tokens_.back();
    }

    // Applies "-" (strip all whitespace before the tag) or lstrip_blocks (strip spaces between
    // the line start and a block or comment tag) to the text before a tag.
    std::string_view strip_before_tag(std::string_view text, char sign, bool is_variable) const {
        if (sign == '-') {
            return rstrip_spaces(text);
        }
        if (sign == '+' || is_variable) {
            return text;
        }
        std::size_t newline = text.rfind('\n');
        std::size_t line_begin = newline == std::string_view::npos ? 0 : newline + 1;
        if ((line_begin > 0 || line_starting_) && is_all_space(text.substr(line_begin))) {
            return text.substr(0, line_begin);
        }
        return text;
    }

    void emit_data(std::string_view text, std::size_t offset) {
        if (!text.empty()) {
            emit(TokenKind::Data, std::string(text), offset);
        }
    }

    std::size_t find_tag(std::size_t from) const {
        for (std::size_t pos = source_.find('{', from); pos != std::string_view::npos;
             pos = source_.find('{', pos + 1)) {
            if (pos + 1 < source_.size() &&
                (source_[pos + 1] == '{' || source_[pos + 1] == '%' || source_[pos + 1] == '#')) {
                return pos;
            }
        }
        return std::string_view::npos;
    }

    char sign_at(std::size_t pos) const {
        if (pos < source_.size() && (source_[pos] == '-' || source_[pos] == '+')) {
            return source_[pos];
        }
        return '\0';
    }

    // Matches a block end at pos: "+%}", "-%}" plus whitespace, or "%}" plus one newline
    // (trim_blocks). Returns the end of the match.
    std::optional<std::size_t> match_block_end(std::size_t pos) const {
        std::string_view rest = source_.substr(pos);
        if (rest.starts_with("+%}")) {
            return pos + 3;
        }
        if (rest.starts_with("-%}")) {
            return skip_spaces(source_, pos + 3);
        }
        if (rest.starts_with("%}")) {
            return pos + 2 + (rest.size() > 2 && rest[2] == '\n' ? 1 : 0);
        }
        return std::nullopt;
    }

    std::optional<std::size_t> match_variable_end(std::size_t pos) const {
        std::string_view rest = source_.substr(pos);
        if (rest.starts_with("-}}")) {
            return skip_spaces(source_, pos + 3);
        }
        if (rest.starts_with("}}")) {
            return pos + 2;
        }
        return std::nullopt;
    }

    void finish_match(std::size_t end) {
        line_starting_ = end > 0 && source_[end - 1] == '\n';
        pos_ = end;
    }

    Status lex_root();
    std::optional<std::size_t> match_raw_begin(std::size_t tag) const;
    Status lex_raw(std::size_t body_begin);
    Status lex_comment(std::size_t body_begin);
    Status lex_tag(bool is_variable);
    Status lex_tag_token();
    Status lex_number();
    Status lex_operator();

    std::string_view source_;
    std::string_view template_name_;
    std::vector<std::size_t> line_starts_;
    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    bool line_starting_ = true;
    std::vector<char> balance_;  // closing brackets expected inside the current tag
};

Status Lexer::lex_root() {
    std::size_t tag = find_tag(pos_);
    if (tag == std::string_view::npos) {
        emit_data(source_.substr(pos_), pos_);
        finish_match(source_.size());
        return {};
    }
    char kind = source_[tag + 1];
    char sign = sign_at(tag + 2);
    std::string_view text = source_.substr(pos_, tag - pos_);
    std::size_t text_offset = pos_;
    if (kind == '%') {
        if (auto raw_end = match_raw_begin(tag)) {
            emit_data(strip_before_tag(text, sign, false), text_offset);
            finish_match(*raw_end);
            return lex_raw(*raw_end);
        }
    }
    emit_data(strip_before_tag(text, sign, kind == '{'), text_offset);
    std::size_t body = tag + 2 + (sign != '\0' ? 1 : 0);
    if (kind == '#') {
        return lex_comment(body);
    }
    emit(kind == '{' ? TokenKind::VariableBegin : TokenKind::BlockBegin, "", tag);
    finish_match(body);
    return lex_tag(kind == '{');
}

std::optional<std::size_t> Lexer::match_raw_begin(std::size_t tag) const {
    std::size_t pos = tag + 2 + (sign_at(tag + 2) != '\0' ? 1 : 0);
    pos = skip_spaces(source_, pos);
    if (source_.substr(pos, 3) != "raw") {
        return std::nullopt;
    }
    pos = skip_spaces(source_, pos + 3);
    std::string_view rest = source_.substr(pos);
    if (rest.starts_with("-%}")) {
        return skip_spaces(source_, pos + 3);
    }
    if (rest.starts_with("%}")) {
        return pos + 2;
    }
    return std::nullopt;
}

Status Lexer::lex_raw(std::size_t body_begin) {
    for (std::size_t tag = source_.find("{%", body_begin); tag != std::string_view::npos;
         tag = source_.find("{%", tag + 1)) {
        char sign = sign_at(tag + 2);
        std::size_t pos = skip_spaces(source_, tag + 2 + (sign != '\0' ? 1 : 0));
        if (source_.substr(pos, 6) != "endraw") {
            continue;
        }
        std::optional<std::size_t> end = match_block_end(skip_spaces(source_, pos + 6));
        if (!end) {
            continue;
        }
        std::string_view body = source_.substr(body_begin, tag - body_begin);
        emit_data(strip_before_tag(body, sign, false), body_begin);
        finish_match(*end);
        return {};
    }
    return fail(body_begin, "Missing end of raw directive");
}

Status Lexer::lex_comment(std::size_t body_begin) {
    for (std::size_t pos = body_begin; pos < source_.size(); ++pos) {
        std::string_view rest = source_.substr(pos);
        if (rest.starts_with("+#}")) {
            finish_match(pos + 3);
            return {};
        }
        if (rest.starts_with("-#}")) {
            finish_match(skip_spaces(source_, pos + 3));
            return {};
        }
        if (rest.starts_with("#}")) {
            finish_match(pos + 2 + (rest.size() > 2 && rest[2] == '\n' ? 1 : 0));
            return {};
        }
    }
    return fail(body_begin, "Missing end of comment tag");
}

Status Lexer::lex_tag(bool is_variable) {
    balance_.clear();
    while (pos_ < source_.size()) {
        if (balance_.empty()) {
            std::optional<std::size_t> end =
                is_variable ? match_variable_end(pos_) : match_block_end(pos_);
            if (end) {
                emit(is_variable ? TokenKind::VariableEnd : TokenKind::BlockEnd, "", pos_);
                finish_match(*end);
                return {};
            }
        }
        INHOUSE_RETURN_IF_ERROR(lex_tag_token());
    }
    // The parser reports the missing end tag.
    return {};
}

Status Lexer::lex_tag_token() {
    std::size_t spaces_end = skip_spaces(source_, pos_);
    if (spaces_end > pos_) {
        finish_match(spaces_end);
        return {};
    }
    char c = source_[pos_];
    if (is_digit(c)) {
        return lex_number();
    }
    if (is_name_start(c)) {
        std::size_t end = pos_;
        while (end < source_.size() && is_name_char(source_[end])) {
            ++end;
        }
        emit(TokenKind::Name, std::string(source_.substr(pos_, end - pos_)), pos_);
        finish_match(end);
        return {};
    }
    if (c == '\'' || c == '"') {
        std::optional<std::size_t> end = find_string_literal_end(source_, pos_);
        if (end) {
            std::string_view body = source_.substr(pos_ + 1, *end - pos_ - 2);
            Result<std::string> decoded = decode_string_literal(body);
            if (!decoded.ok()) {
                return fail(pos_, decoded.error().message());
            }
            emit(TokenKind::String, std::move(decoded).value(), pos_);
            finish_match(*end);
            return {};
        }
    }
    return lex_operator();
}

Status Lexer::lex_number() {
    Result<NumberLiteral> number = scan_number(source_, pos_);
    if (!number.ok()) {
        return fail(pos_, number.error().message());
    }
    Token& token = emit(number->is_float ? TokenKind::Float : TokenKind::Integer,
                        std::string(source_.substr(pos_, number->end - pos_)), pos_);
    token.integer = number->integer;
    token.floating = number->floating;
    finish_match(number->end);
    return {};
}

Status Lexer::lex_operator() {
    static constexpr std::string_view kTwoCharOperators[] = {"//", "**", "==", "!=", ">=", "<="};
    static constexpr std::string_view kOneCharOperators = "+-/*%~[](){}=<>.:|,;";
    std::string_view rest = source_.substr(pos_);
    std::string_view op;
    for (std::string_view candidate : kTwoCharOperators) {
        if (rest.starts_with(candidate)) {
            op = candidate;
            break;
        }
    }
    if (op.empty() && kOneCharOperators.find(rest.front()) != std::string_view::npos) {
        op = rest.substr(0, 1);
    }
    if (op.empty()) {
        std::u32string decoded = unicode::decode(rest.substr(0, 4));
        std::string shown;
        unicode::append_utf8(decoded.front(), shown);
        return fail(pos_, fmt::format("unexpected char '{}'", shown));
    }
    char c = op.front();
    if (op.size() == 1 && (c == '(' || c == '[' || c == '{')) {
        balance_.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
    } else if (op.size() == 1 && (c == ')' || c == ']' || c == '}')) {
        if (balance_.empty()) {
            return fail(pos_, fmt::format("unexpected '{}'", c));
        }
        if (balance_.back() != c) {
            return fail(pos_, fmt::format("unexpected '{}', expected '{}'", c, balance_.back()));
        }
        balance_.pop_back();
    }
    emit(TokenKind::Operator, std::string(op), pos_);
    finish_match(pos_ + op.size());
    return {};
}

}  // namespace

std::string normalize_newlines(std::string_view source) {
    std::string out;
    out.reserve(source.size());
    for (std::size_t pos = 0; pos < source.size(); ++pos) {
        if (source[pos] == '\r') {
            out.push_back('\n');
            if (pos + 1 < source.size() && source[pos + 1] == '\n') {
                ++pos;
            }
        } else {
            out.push_back(source[pos]);
        }
    }
    if (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    return out;
}

Result<std::vector<Token>> tokenize(std::string_view source, std::string_view template_name) {
    return Lexer(source, template_name).run();
}

}  // namespace inhouse::chat::jinja
