#include "chat/jinja/parser.h"

#include <algorithm>

namespace inhouse::chat::jinja {

namespace {

bool contains(std::initializer_list<std::string_view> names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string join_quoted(std::initializer_list<std::string_view> names) {
    std::string out;
    for (std::string_view name : names) {
        out += out.empty() ? "" : " or ";
        out += fmt::format("'{}'", name);
    }
    return out;
}

}  // namespace

Result<Body> parse_template(const std::vector<Token>& tokens, std::string_view template_name) {
    return Parser(tokens, template_name).parse_all();
}

Result<Body> Parser::parse_all() {
    return parse_body({});
}

Status Parser::check_depth() const {
    if (depth_ > kMaxParseDepth) {
        return fail(fmt::format("template nested more than {} levels deep", kMaxParseDepth));
    }
    return {};
}

const Token& Parser::peek() const {
    return position_ + 1 < tokens_.size() ? tokens_[position_ + 1] : tokens_.back();
}

void Parser::advance() {
    if (position_ + 1 < tokens_.size()) {
        ++position_;
    }
}

bool Parser::at_name(std::string_view name) const {
    return current().kind == TokenKind::Name && current().text == name;
}

bool Parser::at_operator(std::string_view op) const {
    return current().kind == TokenKind::Operator && current().text == op;
}

bool Parser::skip_name(std::string_view name) {
    if (!at_name(name)) {
        return false;
    }
    advance();
    return true;
}

bool Parser::skip_operator(std::string_view op) {
    if (!at_operator(op)) {
        return false;
    }
    advance();
    return true;
}

Status Parser::expect_operator(std::string_view op) {
    if (!skip_operator(op)) {
        return fail(fmt::format("expected token '{}', got '{}'", op, describe_current()));
    }
    return {};
}

Status Parser::expect(TokenKind kind) {
    if (current().kind != kind) {
        std::string_view wanted = kind == TokenKind::BlockEnd      ? "end of statement block"
                                  : kind == TokenKind::VariableEnd ? "end of print statement"
                                                                   : "token";
        return fail(fmt::format("expected token '{}', got '{}'", wanted, describe_current()));
    }
    advance();
    return {};
}

Result<std::string> Parser::expect_name() {
    if (current().kind != TokenKind::Name) {
        return fail(fmt::format("expected token 'name', got '{}'", describe_current()));
    }
    std::string name = current().text;
    advance();
    return name;
}

Error Parser::fail(std::string_view message) const {
    return fail_at(current().location, message);
}

Error Parser::fail_at(SourceLocation location, std::string_view message) const {
    return template_error(ErrorCode::InvalidFormat, template_name_, location, message);
}

std::string Parser::describe_current() const {
    const Token& token = current();
    switch (token.kind) {
        case TokenKind::Name:
        case TokenKind::Operator: return token.text;
        case TokenKind::String: return "string";
        case TokenKind::Integer: return "integer";
        case TokenKind::Float: return "float";
        case TokenKind::Data: return "template data / text";
        case TokenKind::VariableBegin: return "begin of print statement";
        case TokenKind::VariableEnd: return "end of print statement";
        case TokenKind::BlockBegin: return "begin of statement block";
        case TokenKind::BlockEnd: return "end of statement block";
        case TokenKind::End: return "end of template";
    }
    return "token";
}

Result<Body> Parser::parse_body(std::initializer_list<std::string_view> end_tags) {
    DepthGuard guard(*this);
    INHOUSE_RETURN_IF_ERROR(check_depth());
    Body body;
    while (true) {
        const Token& token = current();
        if (token.kind == TokenKind::Data) {
            StatementPtr text = make_statement(StatementKind::Text, token.location);
            text->text = token.text;
            body.push_back(std::move(text));
            advance();
        } else if (token.kind == TokenKind::VariableBegin) {
            StatementPtr output = make_statement(StatementKind::Output, token.location);
            advance();
            INHOUSE_ASSIGN_OR_RETURN(output->expression, parse_tuple(true, false, {}));
            INHOUSE_RETURN_IF_ERROR(expect(TokenKind::VariableEnd));
            body.push_back(std::move(output));
        } else if (token.kind == TokenKind::BlockBegin) {
            advance();
            if (current().kind == TokenKind::Name && contains(end_tags, current().text)) {
                return body;
            }
            INHOUSE_ASSIGN_OR_RETURN(StatementPtr statement, parse_statement());
            INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
            body.push_back(std::move(statement));
        } else if (token.kind == TokenKind::End) {
            if (end_tags.size() > 0) {
                return fail(
                    fmt::format("unexpected end of template, expected {}", join_quoted(end_tags)));
            }
            return body;
        } else {
            return fail(fmt::format("unexpected '{}'", describe_current()));
        }
    }
}

Status Parser::expect_end_tag_in(std::initializer_list<std::string_view> end_tags) {
    if (current().kind != TokenKind::Name || !contains(end_tags, current().text)) {
        return fail(
            fmt::format("expected {}, got '{}'", join_quoted(end_tags), describe_current()));
    }
    advance();
    return {};
}

Status Parser::expect_end_tag(std::string_view end_tag) {
    if (!at_name(end_tag)) {
        return fail(fmt::format("expected '{}', got '{}'", end_tag, describe_current()));
    }
    advance();
    return {};
}

Result<StatementPtr> Parser::parse_statement() {
    if (current().kind != TokenKind::Name) {
        return fail("tag name expected");
    }
    const std::string tag = current().text;
    SourceLocation location = current().location;
    if (tag == "for")
        return parse_for();
    if (tag == "if")
        return parse_if();
    if (tag == "set")
        return parse_set();
    if (tag == "macro")
        return parse_macro();
    if (tag == "call")
        return parse_call_block();
    if (tag == "filter")
        return parse_filter_block();
    if (tag == "with")
        return parse_with();
    if (tag == "generation")
        return parse_scope_block("endgeneration");
    if (tag == "break" || tag == "continue") {
        if (loop_depth_ == 0) {
            return fail(fmt::format("'{}' outside of a loop", tag));
        }
        advance();
        return make_statement(tag == "break" ? StatementKind::Break : StatementKind::Continue,
                              location);
    }
    if (tag == "print") {
        advance();
        StatementPtr scope = make_statement(StatementKind::Scope, location);
        while (current().kind != TokenKind::BlockEnd) {
            if (!scope->body.empty()) {
                INHOUSE_RETURN_IF_ERROR(expect_operator(","));
            }
            StatementPtr output = make_statement(StatementKind::Output, current().location);
            INHOUSE_ASSIGN_OR_RETURN(output->expression, parse_expression());
            scope->body.push_back(std::move(output));
        }
        return scope;
    }
    static constexpr std::string_view kUnsupported[] = {"block",  "extends", "include",
                                                        "import", "from",    "autoescape"};
    if (std::find(std::begin(kUnsupported), std::end(kUnsupported), tag) !=
        std::end(kUnsupported)) {
        return fail(fmt::format("tag '{}' is not supported in chat templates", tag));
    }
    return fail(fmt::format("Encountered unknown tag '{}'.", tag));
}

Result<StatementPtr> Parser::parse_if() {
    StatementPtr statement = make_statement(StatementKind::If, current().location);
    advance();
    while (true) {
        IfBranch branch;
        INHOUSE_ASSIGN_OR_RETURN(branch.condition, parse_tuple(false, false, {}));
        INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
        INHOUSE_ASSIGN_OR_RETURN(branch.body, parse_body({"elif", "else", "endif"}));
        statement->branches.push_back(std::move(branch));
        std::string end = current().text;
        INHOUSE_RETURN_IF_ERROR(expect_end_tag_in({"elif", "else", "endif"}));
        if (end == "elif") {
            continue;
        }
        if (end == "else") {
            IfBranch otherwise;
            INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
            INHOUSE_ASSIGN_OR_RETURN(otherwise.body, parse_body({"endif"}));
            INHOUSE_RETURN_IF_ERROR(expect_end_tag("endif"));
            statement->branches.push_back(std::move(otherwise));
        }
        return statement;
    }
}

Result<StatementPtr> Parser::parse_for() {
    StatementPtr statement = make_statement(StatementKind::For, current().location);
    advance();
    INHOUSE_ASSIGN_OR_RETURN(statement->target, parse_assign_target(false, {"in"}));
    if (!skip_name("in")) {
        return fail(fmt::format("expected token 'in', got '{}'", describe_current()));
    }
    INHOUSE_ASSIGN_OR_RETURN(statement->expression, parse_tuple(false, false, {"recursive"}));
    if (skip_name("if")) {
        INHOUSE_ASSIGN_OR_RETURN(statement->loop_filter, parse_expression());
    }
    if (at_name("recursive")) {
        return fail("recursive for loops are not supported");
    }
    skip_operator(":");
    INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
    ++loop_depth_;
    Result<Body> body = parse_body({"endfor", "else"});
    --loop_depth_;
    INHOUSE_RETURN_IF_ERROR(status_of(body));
    statement->body = std::move(body).value();
    std::string end = current().text;
    INHOUSE_RETURN_IF_ERROR(expect_end_tag_in({"endfor", "else"}));
    if (end == "else") {
        INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
        INHOUSE_ASSIGN_OR_RETURN(statement->else_body, parse_body({"endfor"}));
        INHOUSE_RETURN_IF_ERROR(expect_end_tag("endfor"));
    }
    return statement;
}

Result<StatementPtr> Parser::parse_set() {
    SourceLocation location = current().location;
    advance();
    INHOUSE_ASSIGN_OR_RETURN(AssignTarget target, parse_assign_target(true, {}));
    if (skip_operator("=")) {
        StatementPtr statement = make_statement(StatementKind::Set, location);
        statement->target = std::move(target);
        INHOUSE_ASSIGN_OR_RETURN(statement->expression, parse_tuple(true, false, {}));
        return statement;
    }
    StatementPtr statement = make_statement(StatementKind::SetBlock, location);
    statement->target = std::move(target);
    if (at_operator("|")) {
        INHOUSE_ASSIGN_OR_RETURN(statement->filter, parse_filter(nullptr, false));
    }
    INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
    INHOUSE_ASSIGN_OR_RETURN(statement->body, parse_body({"endset"}));
    INHOUSE_RETURN_IF_ERROR(expect_end_tag("endset"));
    return statement;
}

Result<AssignTarget> Parser::parse_assign_target(
    bool with_namespace, std::initializer_list<std::string_view> end_names) {
    AssignTarget target;
    while (true) {
        if (!target.items.empty()) {
            INHOUSE_RETURN_IF_ERROR(expect_operator(","));
        }
        if (is_tuple_end(end_names)) {
            break;
        }
        if (current().kind != TokenKind::Name) {
            return fail(fmt::format("can't assign to '{}'", describe_current()));
        }
        static constexpr std::string_view kConstants[] = {"true",  "false", "True",
                                                          "False", "none",  "None"};
        if (std::find(std::begin(kConstants), std::end(kConstants), current().text) !=
            std::end(kConstants)) {
            return fail("can't assign to 'const'");
        }
        AssignTarget::Item item;
        item.name = current().text;
        advance();
        if (with_namespace && skip_operator(".")) {
            INHOUSE_ASSIGN_OR_RETURN(item.attribute, expect_name());
        }
        target.items.push_back(std::move(item));
        if (!at_operator(",")) {
            break;
        }
        target.is_tuple = true;
    }
    if (target.items.empty()) {
        return fail(fmt::format("Expected an expression, got '{}'", describe_current()));
    }
    return target;
}

}  // namespace inhouse::chat::jinja
