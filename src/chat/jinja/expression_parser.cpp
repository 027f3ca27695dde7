// Expression grammar, lowest precedence first (jinja2 parser.py):
//   conditional: or ("if" or ["else" conditional])*
//   or / and / not / compare (== != < <= > >= in, not in; chained)
//   additive (+ -) / concat (~, tighter than +) / multiplicative (* / // %) /
//   power (**, left-associative) / unary (- +) / primary (names, literals, (…), […], {…}).
// Postfix syntax, filters and tests are in postfix_parser.cpp.
#include <algorithm>

#include "chat/jinja/parser.h"

namespace inhouse::chat::jinja {

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

}  // namespace inhouse::chat::jinja
