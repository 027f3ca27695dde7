// The parsed form of a template: statements holding expressions, one node type each, with
// the source location that runtime errors report. Built by the parser, walked by the
// interpreter; the tree is immutable once parsed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "chat/jinja/source_location.h"
#include "chat/jinja/value.h"

namespace inhouse::chat::jinja {

struct Expression;
using ExpressionPtr = std::unique_ptr<Expression>;

enum class ExpressionKind : std::uint8_t {
    Literal,      // literal
    Name,         // name
    List,         // operands: items
    Tuple,        // operands: items
    Dict,         // operands: key, value, key, value, …
    Attribute,    // operands[0].name
    Subscript,    // operands[0][operands[1]]
    Slice,        // operands: start, stop, step (each may be null); only as a subscript
    Call,         // operands[0](arguments)
    Filter,       // operands[0] | name(arguments); operands[0] is null in filter blocks
    Test,         // operands[0] is name(arguments)
    Not,          // not operands[0]
    Negate,       // -operands[0]
    Plus,         // +operands[0]
    Binary,       // operands[0] binary_operator operands[1]
    And,          // operands[0] and operands[1]
    Or,           // operands[0] or operands[1]
    Compare,      // operands[0] compare_operators[0] operands[1] …, chained as in Python
    Concat,       // operands joined by ~
    Conditional,  // operands[0] if operands[1] else operands[2] (else may be null)
};

enum class BinaryOperator : std::uint8_t {
    Add,
    Subtract,
    Multiply,
    Divide,
    FloorDivide,
    Modulo,
    Power
};

enum class CompareOperator : std::uint8_t {
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    In,
    NotIn
};

struct CallArguments {
    std::vector<ExpressionPtr> positional;
    std::vector<std::pair<std::string, ExpressionPtr>> keyword;
    ExpressionPtr star_args;    // *expression
    ExpressionPtr star_kwargs;  // **expression
};

struct Expression {
    ExpressionKind kind = ExpressionKind::Literal;
    SourceLocation location;
    Value literal;
    std::string name;  // Name, Attribute, Filter, Test
    BinaryOperator binary_operator = BinaryOperator::Add;
    std::vector<CompareOperator> compare_operators;
    std::vector<ExpressionPtr> operands;
    CallArguments arguments;  // Call, Filter, Test
};

struct Statement;
using StatementPtr = std::unique_ptr<Statement>;
using Body = std::vector<StatementPtr>;

enum class StatementKind : std::uint8_t {
    Text,         // text
    Output,       // {{ expression }}
    If,           // branches; a branch without condition is the else
    For,          // for target in expression [if loop_filter]: body [else: else_body]
    Set,          // set target = expression
    SetBlock,     // set target [| filter]: body
    Macro,        // macro name(parameters): body
    CallBlock,    // call(parameters) expression: body, expression being the Call
    FilterBlock,  // filter expression: body
    With,         // with assignments: body
    Scope,        // a body with no effect of its own ({% generation %} from transformers)
    Break,
    Continue,
};

// Where `set`, `for` and `with` store values: one name, a namespace attribute (ns.attr), or
// several names unpacked from a sequence.
struct AssignTarget {
    struct Item {
        std::string name;
        std::string attribute;  // non-empty: assign ns.attribute where ns is `name`
    };
    std::vector<Item> items;
    bool is_tuple = false;
};

struct IfBranch {
    ExpressionPtr condition;  // null for else
    Body body;
};

struct MacroParameter {
    std::string name;
    ExpressionPtr default_value;  // may be null
};

struct Statement {
    StatementKind kind = StatementKind::Text;
    SourceLocation location;
    std::string text;
    ExpressionPtr expression;
    std::vector<IfBranch> branches;
    AssignTarget target;
    ExpressionPtr loop_filter;
    ExpressionPtr filter;  // SetBlock: the filters applied to the body, may be null
    Body body;
    Body else_body;
    std::string name;
    std::vector<MacroParameter> parameters;
    std::vector<std::pair<AssignTarget, ExpressionPtr>> assignments;  // With
    // Macro: whether the body refers to these names, which changes how calls bind arguments.
    bool uses_caller = false;
    bool uses_varargs = false;
    bool uses_kwargs = false;
};

inline ExpressionPtr make_expression(ExpressionKind kind, SourceLocation location) {
    auto expression = std::make_unique<Expression>();
    expression->kind = kind;
    expression->location = location;
    return expression;
}

inline ExpressionPtr make_binary(ExpressionKind kind, SourceLocation location, ExpressionPtr left,
                                 ExpressionPtr right) {
    ExpressionPtr expression = make_expression(kind, location);
    expression->operands.push_back(std::move(left));
    expression->operands.push_back(std::move(right));
    return expression;
}

inline StatementPtr make_statement(StatementKind kind, SourceLocation location) {
    auto statement = std::make_unique<Statement>();
    statement->kind = kind;
    statement->location = location;
    return statement;
}

}  // namespace inhouse::chat::jinja
