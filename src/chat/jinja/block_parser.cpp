// Statements with bodies of their own beyond if and for: macro, call, filter, with and
// transformers' generation tag. Macros also record whether their body uses caller, varargs
// and kwargs, which decides how calls bind arguments (jinja2's Macro).
#include <algorithm>

#include "chat/jinja/parser.h"

namespace inhouse::chat::jinja {

namespace {

bool expression_refers_to(const Expression* expression, std::string_view name);

bool arguments_refer_to(const CallArguments& arguments, std::string_view name) {
    for (const auto& argument : arguments.positional) {
        if (expression_refers_to(argument.get(), name)) {
            return true;
        }
    }
    for (const auto& [keyword, argument] : arguments.keyword) {
        if (expression_refers_to(argument.get(), name)) {
            return true;
        }
    }
    return expression_refers_to(arguments.star_args.get(), name) ||
           expression_refers_to(arguments.star_kwargs.get(), name);
}

bool expression_refers_to(const Expression* expression, std::string_view name) {
    if (expression == nullptr) {
        return false;
    }
    if (expression->kind == ExpressionKind::Name && expression->name == name) {
        return true;
    }
    for (const auto& operand : expression->operands) {
        if (expression_refers_to(operand.get(), name)) {
            return true;
        }
    }
    return arguments_refer_to(expression->arguments, name);
}

bool body_refers_to(const Body& body, std::string_view name) {
    for (const auto& statement : body) {
        if (expression_refers_to(statement->expression.get(), name) ||
            expression_refers_to(statement->loop_filter.get(), name) ||
            expression_refers_to(statement->filter.get(), name) ||
            body_refers_to(statement->body, name) || body_refers_to(statement->else_body, name)) {
            return true;
        }
        for (const auto& branch : statement->branches) {
            if (expression_refers_to(branch.condition.get(), name) ||
                body_refers_to(branch.body, name)) {
                return true;
            }
        }
        for (const auto& parameter : statement->parameters) {
            if (expression_refers_to(parameter.default_value.get(), name)) {
                return true;
            }
        }
        for (const auto& [target, value] : statement->assignments) {
            if (expression_refers_to(value.get(), name)) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace

Result<std::vector<MacroParameter>> Parser::parse_signature() {
    INHOUSE_RETURN_IF_ERROR(expect_operator("("));
    std::vector<MacroParameter> parameters;
    bool has_default = false;
    while (!at_operator(")")) {
        if (!parameters.empty()) {
            INHOUSE_RETURN_IF_ERROR(expect_operator(","));
        }
        MacroParameter parameter;
        INHOUSE_ASSIGN_OR_RETURN(parameter.name, expect_name());
        if (skip_operator("=")) {
            INHOUSE_ASSIGN_OR_RETURN(parameter.default_value, parse_expression());
            has_default = true;
        } else if (has_default) {
            return fail("non-default argument follows default argument");
        }
        parameters.push_back(std::move(parameter));
    }
    INHOUSE_RETURN_IF_ERROR(expect_operator(")"));
    return parameters;
}

Result<StatementPtr> Parser::parse_macro() {
    StatementPtr statement = make_statement(StatementKind::Macro, current().location);
    advance();
    INHOUSE_ASSIGN_OR_RETURN(statement->name, expect_name());
    INHOUSE_ASSIGN_OR_RETURN(statement->parameters, parse_signature());
    INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
    int saved_loop_depth = loop_depth_;
    loop_depth_ = 0;
    Result<Body> body = parse_body({"endmacro"});
    loop_depth_ = saved_loop_depth;
    INHOUSE_RETURN_IF_ERROR(status_of(body));
    statement->body = std::move(body).value();
    INHOUSE_RETURN_IF_ERROR(expect_end_tag("endmacro"));
    auto is_parameter = [&](std::string_view name) {
        return std::any_of(statement->parameters.begin(), statement->parameters.end(),
                           [&](const MacroParameter& p) { return p.name == name; });
    };
    statement->uses_caller = !is_parameter("caller") && body_refers_to(statement->body, "caller");
    statement->uses_varargs = body_refers_to(statement->body, "varargs");
    statement->uses_kwargs = body_refers_to(statement->body, "kwargs");
    return statement;
}

Result<StatementPtr> Parser::parse_call_block() {
    StatementPtr statement = make_statement(StatementKind::CallBlock, current().location);
    advance();
    if (at_operator("(")) {
        INHOUSE_ASSIGN_OR_RETURN(statement->parameters, parse_signature());
    }
    INHOUSE_ASSIGN_OR_RETURN(statement->expression, parse_expression());
    if (statement->expression->kind != ExpressionKind::Call) {
        return fail_at(statement->location, "expected call");
    }
    INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
    int saved_loop_depth = loop_depth_;
    loop_depth_ = 0;
    Result<Body> body = parse_body({"endcall"});
    loop_depth_ = saved_loop_depth;
    INHOUSE_RETURN_IF_ERROR(status_of(body));
    statement->body = std::move(body).value();
    INHOUSE_RETURN_IF_ERROR(expect_end_tag("endcall"));
    statement->uses_varargs = body_refers_to(statement->body, "varargs");
    statement->uses_kwargs = body_refers_to(statement->body, "kwargs");
    return statement;
}

Result<StatementPtr> Parser::parse_filter_block() {
    StatementPtr statement = make_statement(StatementKind::FilterBlock, current().location);
    advance();
    INHOUSE_ASSIGN_OR_RETURN(statement->filter, parse_filter(nullptr, true));
    INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
    INHOUSE_ASSIGN_OR_RETURN(statement->body, parse_body({"endfilter"}));
    INHOUSE_RETURN_IF_ERROR(expect_end_tag("endfilter"));
    return statement;
}

Result<StatementPtr> Parser::parse_with() {
    StatementPtr statement = make_statement(StatementKind::With, current().location);
    advance();
    while (current().kind != TokenKind::BlockEnd) {
        if (!statement->assignments.empty()) {
            INHOUSE_RETURN_IF_ERROR(expect_operator(","));
        }
        INHOUSE_ASSIGN_OR_RETURN(AssignTarget target, parse_assign_target(false, {}));
        INHOUSE_RETURN_IF_ERROR(expect_operator("="));
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr value, parse_expression());
        statement->assignments.emplace_back(std::move(target), std::move(value));
    }
    INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
    INHOUSE_ASSIGN_OR_RETURN(statement->body, parse_body({"endwith"}));
    INHOUSE_RETURN_IF_ERROR(expect_end_tag("endwith"));
    return statement;
}

Result<StatementPtr> Parser::parse_scope_block(std::string_view end_tag) {
    StatementPtr statement = make_statement(StatementKind::Scope, current().location);
    advance();
    INHOUSE_RETURN_IF_ERROR(expect(TokenKind::BlockEnd));
    INHOUSE_ASSIGN_OR_RETURN(statement->body, parse_body({end_tag}));
    INHOUSE_RETURN_IF_ERROR(expect_end_tag(end_tag));
    return statement;
}

}  // namespace inhouse::chat::jinja
