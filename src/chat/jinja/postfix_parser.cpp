// Postfix syntax after a primary expression: attribute access (.name, .0), subscripts and
// slices ([i], [a:b:c]), calls with positional, keyword, *args and **kwargs arguments, filters
// (| name(args)) and tests (is [not] name args), as in jinja2's parser.py.
#include "chat/jinja/parser.h"

namespace inhouse::chat::jinja {

Result<ExpressionPtr> Parser::parse_postfix(ExpressionPtr node) {
    DepthGuard chain(*this, false);
    while (true) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        if (at_operator(".") || at_operator("[")) {
            INHOUSE_ASSIGN_OR_RETURN(node, parse_subscript(std::move(node)));
        } else if (at_operator("(")) {
            INHOUSE_ASSIGN_OR_RETURN(node, parse_call(std::move(node)));
        } else {
            return node;
        }
    }
}

Result<ExpressionPtr> Parser::parse_filter_expression(ExpressionPtr node) {
    DepthGuard chain(*this, false);
    while (true) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        if (at_operator("|")) {
            INHOUSE_ASSIGN_OR_RETURN(node, parse_filter(std::move(node), false));
        } else if (at_name("is")) {
            INHOUSE_ASSIGN_OR_RETURN(node, parse_test(std::move(node)));
        } else if (at_operator("(")) {
            INHOUSE_ASSIGN_OR_RETURN(node, parse_call(std::move(node)));
        } else {
            return node;
        }
    }
}

Result<ExpressionPtr> Parser::parse_subscript(ExpressionPtr node) {
    SourceLocation location = current().location;
    if (skip_operator(".")) {
        const Token& token = current();
        if (token.kind == TokenKind::Name) {
            ExpressionPtr attribute = make_expression(ExpressionKind::Attribute, location);
            attribute->name = token.text;
            attribute->operands.push_back(std::move(node));
            advance();
            return attribute;
        }
        if (token.kind != TokenKind::Integer) {
            return fail("expected name or number");
        }
        ExpressionPtr index = make_expression(ExpressionKind::Literal, token.location);
        index->literal = Value::integer(token.integer);
        advance();
        return make_binary(ExpressionKind::Subscript, location, std::move(node), std::move(index));
    }
    INHOUSE_RETURN_IF_ERROR(expect_operator("["));
    std::vector<ExpressionPtr> indices;
    while (!at_operator("]")) {
        if (!indices.empty()) {
            INHOUSE_RETURN_IF_ERROR(expect_operator(","));
        }
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr index, parse_subscribed());
        indices.push_back(std::move(index));
    }
    INHOUSE_RETURN_IF_ERROR(expect_operator("]"));
    if (indices.empty()) {
        return fail_at(location, "expected subscript expression");
    }
    ExpressionPtr index;
    if (indices.size() == 1) {
        index = std::move(indices.front());
    } else {
        index = make_expression(ExpressionKind::Tuple, location);
        index->operands = std::move(indices);
    }
    return make_binary(ExpressionKind::Subscript, location, std::move(node), std::move(index));
}

Result<ExpressionPtr> Parser::parse_subscribed() {
    ExpressionPtr slice = make_expression(ExpressionKind::Slice, current().location);
    if (skip_operator(":")) {
        slice->operands.push_back(nullptr);
    } else {
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr start, parse_expression());
        if (!skip_operator(":")) {
            return start;
        }
        slice->operands.push_back(std::move(start));
    }
    auto at_slice_end = [&] { return at_operator("]") || at_operator(","); };
    if (at_operator(":") || at_slice_end()) {
        slice->operands.push_back(nullptr);
    } else {
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr stop, parse_expression());
        slice->operands.push_back(std::move(stop));
    }
    if (skip_operator(":") && !at_slice_end()) {
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr step, parse_expression());
        slice->operands.push_back(std::move(step));
    } else {
        slice->operands.push_back(nullptr);
    }
    return slice;
}

Result<CallArguments> Parser::parse_call_arguments() {
    SourceLocation location = current().location;
    INHOUSE_RETURN_IF_ERROR(expect_operator("("));
    CallArguments arguments;
    bool require_comma = false;
    auto invalid = [&] { return fail_at(location, "invalid syntax for function call expression"); };
    while (!at_operator(")")) {
        if (require_comma) {
            INHOUSE_RETURN_IF_ERROR(expect_operator(","));
            if (at_operator(")")) {
                break;
            }
        }
        if (skip_operator("*")) {
            if (arguments.star_args || arguments.star_kwargs) {
                return invalid();
            }
            INHOUSE_ASSIGN_OR_RETURN(arguments.star_args, parse_expression());
        } else if (skip_operator("**")) {
            if (arguments.star_kwargs) {
                return invalid();
            }
            INHOUSE_ASSIGN_OR_RETURN(arguments.star_kwargs, parse_expression());
        } else if (current().kind == TokenKind::Name && peek().kind == TokenKind::Operator &&
                   peek().text == "=") {
            if (arguments.star_kwargs) {
                return invalid();
            }
            std::string key = current().text;
            advance();
            advance();
            INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr value, parse_expression());
            arguments.keyword.emplace_back(std::move(key), std::move(value));
        } else {
            if (arguments.star_args || arguments.star_kwargs || !arguments.keyword.empty()) {
                return invalid();
            }
            INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr value, parse_expression());
            arguments.positional.push_back(std::move(value));
        }
        require_comma = true;
    }
    INHOUSE_RETURN_IF_ERROR(expect_operator(")"));
    return arguments;
}

Result<ExpressionPtr> Parser::parse_call(ExpressionPtr callee) {
    ExpressionPtr call = make_expression(ExpressionKind::Call, current().location);
    INHOUSE_ASSIGN_OR_RETURN(call->arguments, parse_call_arguments());
    call->operands.push_back(std::move(callee));
    return call;
}

Result<std::string> Parser::parse_dotted_name() {
    INHOUSE_ASSIGN_OR_RETURN(std::string name, expect_name());
    while (skip_operator(".")) {
        INHOUSE_ASSIGN_OR_RETURN(std::string part, expect_name());
        name += "." + part;
    }
    return name;
}

Result<ExpressionPtr> Parser::parse_filter(ExpressionPtr node, bool start_inline) {
    DepthGuard chain(*this, false);
    while (at_operator("|") || start_inline) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        if (!start_inline) {
            advance();
        }
        start_inline = false;
        ExpressionPtr filter = make_expression(ExpressionKind::Filter, current().location);
        INHOUSE_ASSIGN_OR_RETURN(filter->name, parse_dotted_name());
        if (at_operator("(")) {
            INHOUSE_ASSIGN_OR_RETURN(filter->arguments, parse_call_arguments());
        }
        filter->operands.push_back(std::move(node));
        node = std::move(filter);
    }
    return node;
}

Result<ExpressionPtr> Parser::parse_test(ExpressionPtr node) {
    SourceLocation location = current().location;
    advance();  // "is"
    bool negated = skip_name("not");
    ExpressionPtr test = make_expression(ExpressionKind::Test, current().location);
    INHOUSE_ASSIGN_OR_RETURN(test->name, parse_dotted_name());
    TokenKind kind = current().kind;
    if (at_operator("(")) {
        INHOUSE_ASSIGN_OR_RETURN(test->arguments, parse_call_arguments());
    } else if ((kind == TokenKind::Name || kind == TokenKind::String ||
                kind == TokenKind::Integer || kind == TokenKind::Float || at_operator("[") ||
                at_operator("{")) &&
               !at_name("else") && !at_name("or") && !at_name("and")) {
        // A single argument without parentheses: `x is divisibleby 3`.
        if (at_name("is")) {
            return fail("You cannot chain multiple tests with is");
        }
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr argument, parse_primary());
        INHOUSE_ASSIGN_OR_RETURN(argument, parse_postfix(std::move(argument)));
        test->arguments.positional.push_back(std::move(argument));
    }
    test->operands.push_back(std::move(node));
    if (!negated) {
        return test;
    }
    ExpressionPtr negation = make_expression(ExpressionKind::Not, location);
    negation->operands.push_back(std::move(test));
    return negation;
}

}  // namespace inhouse::chat::jinja
