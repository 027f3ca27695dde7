// Expression grammar, lowest precedence first (jinja2 parser.py):
//   conditional: or ("if" or ["else" conditional])*
//   or / and / not / compare (== != < <= > >= in, not in; chained)
//   additive (+ -) / concat (~) / multiplicative (* / // %) / power (**, left-associative)
//   unary (- +) then postfix (.name [index] (call)) then filters and tests (| name, is name)
#include <algorithm>

#include "chat/jinja/parser.h"

namespace inhouse::chat::jinja {

namespace {

ExpressionPtr make_expression(ExpressionKind kind, SourceLocation location) {
    auto expression = std::make_unique<Expression>();
    expression->kind = kind;
    expression->location = location;
    return expression;
}

ExpressionPtr make_binary(ExpressionKind kind, SourceLocation location, ExpressionPtr left,
                          ExpressionPtr right) {
    ExpressionPtr expression = make_expression(kind, location);
    expression->operands.push_back(std::move(left));
    expression->operands.push_back(std::move(right));
    return expression;
}

}  // namespace

bool Parser::is_tuple_end(std::initializer_list<std::string_view> end_names) const {
    TokenKind kind = current().kind;
    if (kind == TokenKind::VariableEnd || kind == TokenKind::BlockEnd || at_operator(")")) {
        return true;
    }
    return kind == TokenKind::Name &&
           std::find(end_names.begin(), end_names.end(), current().text) != end_names.end();
}

Result<ExpressionPtr> Parser::parse_tuple(bool with_condexpr, bool explicit_parentheses,
                                          std::initializer_list<std::string_view> end_names) {
    SourceLocation location = current().location;
    std::vector<ExpressionPtr> items;
    bool is_tuple = false;
    while (true) {
        if (!items.empty()) {
            INHOUSE_RETURN_IF_ERROR(expect_operator(","));
        }
        if (is_tuple_end(end_names)) {
            break;
        }
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr item, parse_expression(with_condexpr));
        items.push_back(std::move(item));
        if (!at_operator(",")) {
            break;
        }
        is_tuple = true;
    }
    if (!is_tuple) {
        if (!items.empty()) {
            return std::move(items.front());
        }
        if (!explicit_parentheses) {
            return fail(fmt::format("Expected an expression, got '{}'", describe_current()));
        }
    }
    ExpressionPtr tuple = make_expression(ExpressionKind::Tuple, location);
    tuple->operands = std::move(items);
    return tuple;
}

Result<ExpressionPtr> Parser::parse_expression(bool with_condexpr) {
    DepthGuard guard(*this);
    INHOUSE_RETURN_IF_ERROR(check_depth());
    return with_condexpr ? parse_conditional() : parse_or();
}

Result<ExpressionPtr> Parser::parse_conditional() {
    INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr result, parse_or());
    DepthGuard chain(*this, false);
    while (at_name("if")) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        SourceLocation location = current().location;
        advance();
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr condition, parse_or());
        ExpressionPtr otherwise;
        if (skip_name("else")) {
            INHOUSE_ASSIGN_OR_RETURN(otherwise, parse_expression(true));
        }
        ExpressionPtr conditional = make_expression(ExpressionKind::Conditional, location);
        conditional->operands.push_back(std::move(result));
        conditional->operands.push_back(std::move(condition));
        conditional->operands.push_back(std::move(otherwise));
        result = std::move(conditional);
    }
    return result;
}

Result<ExpressionPtr> Parser::parse_or() {
    INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr left, parse_and());
    DepthGuard chain(*this, false);
    while (at_name("or")) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        SourceLocation location = current().location;
        advance();
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr right, parse_and());
        left = make_binary(ExpressionKind::Or, location, std::move(left), std::move(right));
    }
    return left;
}

Result<ExpressionPtr> Parser::parse_and() {
    INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr left, parse_not());
    DepthGuard chain(*this, false);
    while (at_name("and")) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        SourceLocation location = current().location;
        advance();
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr right, parse_not());
        left = make_binary(ExpressionKind::And, location, std::move(left), std::move(right));
    }
    return left;
}

Result<ExpressionPtr> Parser::parse_not() {
    if (!at_name("not")) {
        return parse_compare();
    }
    DepthGuard guard(*this);
    INHOUSE_RETURN_IF_ERROR(check_depth());
    ExpressionPtr negation = make_expression(ExpressionKind::Not, current().location);
    advance();
    INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr operand, parse_not());
    negation->operands.push_back(std::move(operand));
    return negation;
}

Result<ExpressionPtr> Parser::parse_compare() {
    SourceLocation location = current().location;
    INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr first, parse_additive());
    static constexpr std::pair<std::string_view, CompareOperator> kOperators[] = {
        {"==", CompareOperator::Equal},  {"!=", CompareOperator::NotEqual},
        {"<", CompareOperator::Less},    {"<=", CompareOperator::LessEqual},
        {">", CompareOperator::Greater}, {">=", CompareOperator::GreaterEqual},
    };
    ExpressionPtr compare;
    DepthGuard chain(*this, false);
    while (true) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        std::optional<CompareOperator> op;
        for (const auto& [text, candidate] : kOperators) {
            if (at_operator(text)) {
                op = candidate;
                advance();
                break;
            }
        }
        if (!op && skip_name("in")) {
            op = CompareOperator::In;
        } else if (!op && at_name("not") && peek().kind == TokenKind::Name && peek().text == "in") {
            advance();
            advance();
            op = CompareOperator::NotIn;
        }
        if (!op) {
            break;
        }
        if (!compare) {
            compare = make_expression(ExpressionKind::Compare, location);
            compare->operands.push_back(std::move(first));
        }
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr operand, parse_additive());
        compare->compare_operators.push_back(*op);
        compare->operands.push_back(std::move(operand));
    }
    return compare ? std::move(compare) : std::move(first);
}

Result<ExpressionPtr> Parser::parse_additive() {
    INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr left, parse_concat());
    DepthGuard chain(*this, false);
    while (at_operator("+") || at_operator("-")) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        BinaryOperator op = at_operator("+") ? BinaryOperator::Add : BinaryOperator::Subtract;
        SourceLocation location = current().location;
        advance();
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr right, parse_concat());
        left = make_binary(ExpressionKind::Binary, location, std::move(left), std::move(right));
        left->binary_operator = op;
    }
    return left;
}

Result<ExpressionPtr> Parser::parse_concat() {
    SourceLocation location = current().location;
    INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr first, parse_multiplicative());
    if (!at_operator("~")) {
        return first;
    }
    ExpressionPtr concat = make_expression(ExpressionKind::Concat, location);
    concat->operands.push_back(std::move(first));
    while (skip_operator("~")) {
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr operand, parse_multiplicative());
        concat->operands.push_back(std::move(operand));
    }
    return concat;
}

Result<ExpressionPtr> Parser::parse_multiplicative() {
    INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr left, parse_power());
    static constexpr std::pair<std::string_view, BinaryOperator> kOperators[] = {
        {"*", BinaryOperator::Multiply},
        {"/", BinaryOperator::Divide},
        {"//", BinaryOperator::FloorDivide},
        {"%", BinaryOperator::Modulo},
    };
    DepthGuard chain(*this, false);
    while (true) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        std::optional<BinaryOperator> op;
        for (const auto& [text, candidate] : kOperators) {
            if (at_operator(text)) {
                op = candidate;
            }
        }
        if (!op) {
            return left;
        }
        SourceLocation location = current().location;
        advance();
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr right, parse_power());
        left = make_binary(ExpressionKind::Binary, location, std::move(left), std::move(right));
        left->binary_operator = *op;
    }
}

Result<ExpressionPtr> Parser::parse_power() {
    INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr left, parse_unary(true));
    DepthGuard chain(*this, false);
    while (at_operator("**")) {
        chain.deepen();
        INHOUSE_RETURN_IF_ERROR(check_depth());
        SourceLocation location = current().location;
        advance();
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr right, parse_unary(true));
        left = make_binary(ExpressionKind::Binary, location, std::move(left), std::move(right));
        left->binary_operator = BinaryOperator::Power;
    }
    return left;
}

Result<ExpressionPtr> Parser::parse_unary(bool with_filter) {
    DepthGuard guard(*this);
    INHOUSE_RETURN_IF_ERROR(check_depth());
    ExpressionPtr node;
    if (at_operator("-") || at_operator("+")) {
        node = make_expression(at_operator("-") ? ExpressionKind::Negate : ExpressionKind::Plus,
                               current().location);
        advance();
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr operand, parse_unary(false));
        node->operands.push_back(std::move(operand));
    } else {
        INHOUSE_ASSIGN_OR_RETURN(node, parse_primary());
    }
    INHOUSE_ASSIGN_OR_RETURN(node, parse_postfix(std::move(node)));
    if (with_filter) {
        INHOUSE_ASSIGN_OR_RETURN(node, parse_filter_expression(std::move(node)));
    }
    return node;
}

Result<ExpressionPtr> Parser::parse_primary() {
    const Token& token = current();
    ExpressionPtr node = make_expression(ExpressionKind::Literal, token.location);
    switch (token.kind) {
        case TokenKind::Name:
            if (token.text == "true" || token.text == "True" || token.text == "false" ||
                token.text == "False") {
                node->literal = Value::boolean(token.text == "true" || token.text == "True");
            } else if (token.text == "none" || token.text == "None") {
                node->literal = Value::none();
            } else {
                node->kind = ExpressionKind::Name;
                node->name = token.text;
            }
            advance();
            return node;
        case TokenKind::String: {
            // Adjacent string literals concatenate, as in Python.
            std::string text;
            while (current().kind == TokenKind::String) {
                text += current().text;
                advance();
            }
            node->literal = Value::string(std::move(text));
            return node;
        }
        case TokenKind::Integer:
            node->literal = Value::integer(token.integer);
            advance();
            return node;
        case TokenKind::Float:
            node->literal = Value::floating(token.floating);
            advance();
            return node;
        default: break;
    }
    if (skip_operator("(")) {
        INHOUSE_ASSIGN_OR_RETURN(node, parse_tuple(true, true, {}));
        INHOUSE_RETURN_IF_ERROR(expect_operator(")"));
        return node;
    }
    if (at_operator("[")) {
        return parse_list();
    }
    if (at_operator("{")) {
        return parse_dict();
    }
    return fail(fmt::format("unexpected '{}'", describe_current()));
}

Result<ExpressionPtr> Parser::parse_list() {
    ExpressionPtr list = make_expression(ExpressionKind::List, current().location);
    INHOUSE_RETURN_IF_ERROR(expect_operator("["));
    while (!at_operator("]")) {
        if (!list->operands.empty()) {
            INHOUSE_RETURN_IF_ERROR(expect_operator(","));
        }
        if (at_operator("]")) {
            break;
        }
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr item, parse_expression());
        list->operands.push_back(std::move(item));
    }
    INHOUSE_RETURN_IF_ERROR(expect_operator("]"));
    return list;
}

Result<ExpressionPtr> Parser::parse_dict() {
    ExpressionPtr dict = make_expression(ExpressionKind::Dict, current().location);
    INHOUSE_RETURN_IF_ERROR(expect_operator("{"));
    while (!at_operator("}")) {
        if (!dict->operands.empty()) {
            INHOUSE_RETURN_IF_ERROR(expect_operator(","));
        }
        if (at_operator("}")) {
            break;
        }
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr key, parse_expression());
        INHOUSE_RETURN_IF_ERROR(expect_operator(":"));
        INHOUSE_ASSIGN_OR_RETURN(ExpressionPtr item, parse_expression());
        dict->operands.push_back(std::move(key));
        dict->operands.push_back(std::move(item));
    }
    INHOUSE_RETURN_IF_ERROR(expect_operator("}"));
    return dict;
}

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
