// Expression evaluation: one function per node kind, each returning a Value or an error
// located at the node that failed.
#include "chat/jinja/access.h"
#include "chat/jinja/interpreter.h"
#include "chat/jinja/operators.h"
#include "chat/jinja/python_ops.h"

namespace inhouse::chat::jinja {

Result<Value> Interpreter::evaluate(const Expression& expression,
                                    const std::shared_ptr<Scope>& scope) {
    RecursionGuard guard(*this);
    if (Status entered = enter(expression.location); !entered.ok()) {
        return locate(std::move(entered).error(), expression.location);
    }
    return evaluate_node(expression, scope);
}

Result<Value> Interpreter::evaluate_node(const Expression& expression,
                                         const std::shared_ptr<Scope>& scope) {
    switch (expression.kind) {
        case ExpressionKind::Literal: return expression.literal;
        case ExpressionKind::Name: return look_up(expression, scope);
        case ExpressionKind::List:
        case ExpressionKind::Tuple:
        case ExpressionKind::Dict: return evaluate_collection(expression, scope);
        case ExpressionKind::Attribute: {
            INHOUSE_ASSIGN_OR_RETURN(Value object, evaluate(*expression.operands[0], scope));
            return located(get_attribute(object, expression.name), expression.location);
        }
        case ExpressionKind::Subscript: return evaluate_subscript(expression, scope);
        case ExpressionKind::Slice:
            return fail(expression.location, "a slice is only valid inside a subscript");
        case ExpressionKind::Call: return evaluate_call(expression, scope, nullptr);
        case ExpressionKind::Filter: return evaluate_filter(expression, scope, nullptr);
        case ExpressionKind::Test: return evaluate_test(expression, scope);
        case ExpressionKind::Not: {
            INHOUSE_ASSIGN_OR_RETURN(Value operand, evaluate(*expression.operands[0], scope));
            return Value::boolean(!is_truthy(operand));
        }
        case ExpressionKind::Negate:
        case ExpressionKind::Plus: return evaluate_unary(expression, scope);
        case ExpressionKind::Binary: return evaluate_binary(expression, scope);
        case ExpressionKind::And:
        case ExpressionKind::Or: {
            // Python's `and`/`or` return an operand, not a bool.
            INHOUSE_ASSIGN_OR_RETURN(Value left, evaluate(*expression.operands[0], scope));
            bool is_and = expression.kind == ExpressionKind::And;
            if (is_truthy(left) != is_and) {
                return left;
            }
            return evaluate(*expression.operands[1], scope);
        }
        case ExpressionKind::Compare: return evaluate_compare(expression, scope);
        case ExpressionKind::Concat: return evaluate_concat(expression, scope);
        case ExpressionKind::Conditional: return evaluate_conditional(expression, scope);
    }
    return fail(expression.location, "unknown expression");
}

Result<Value> Interpreter::look_up(const Expression& expression,
                                   const std::shared_ptr<Scope>& scope) {
    if (const Value* value = scope->find(expression.name)) {
        return *value;
    }
    return Value::undefined(fmt::format("'{}' is undefined", expression.name));
}

Result<Value> Interpreter::evaluate_collection(const Expression& expression,
                                               const std::shared_ptr<Scope>& scope) {
    std::vector<Value> items;
    items.reserve(expression.operands.size());
    for (const auto& operand : expression.operands) {
        INHOUSE_ASSIGN_OR_RETURN(Value item, evaluate(*operand, scope));
        if (item.nesting_depth() >= kMaxValueNesting) {
            return fail(expression.location, "value nested too deeply");
        }
        items.push_back(std::move(item));
    }
    if (Status charged = charge_list(items.size()); !charged.ok()) {
        return locate(std::move(charged).error(), expression.location);
    }
    if (expression.kind == ExpressionKind::List) {
        return Value::list(std::move(items));
    }
    if (expression.kind == ExpressionKind::Tuple) {
        return Value::tuple(std::move(items));
    }
    std::vector<std::pair<Value, Value>> entries;
    for (std::size_t index = 0; index + 1 < items.size(); index += 2) {
        entries.emplace_back(std::move(items[index]), std::move(items[index + 1]));
    }
    return located(make_dict(std::move(entries)), expression.location);
}

Result<Value> Interpreter::evaluate_subscript(const Expression& expression,
                                              const std::shared_ptr<Scope>& scope) {
    INHOUSE_ASSIGN_OR_RETURN(Value object, evaluate(*expression.operands[0], scope));
    const Expression& index = *expression.operands[1];
    if (index.kind != ExpressionKind::Slice) {
        INHOUSE_ASSIGN_OR_RETURN(Value key, evaluate(index, scope));
        return located(get_item(*this, object, key), expression.location);
    }
    Value bounds[3] = {Value::none(), Value::none(), Value::none()};
    for (std::size_t part = 0; part < 3; ++part) {
        if (index.operands[part]) {
            INHOUSE_ASSIGN_OR_RETURN(bounds[part], evaluate(*index.operands[part], scope));
        }
    }
    return located(get_slice(*this, object, bounds[0], bounds[1], bounds[2]), expression.location);
}

Result<CallValues> Interpreter::evaluate_arguments(const CallArguments& arguments,
                                                   const std::shared_ptr<Scope>& scope,
                                                   SourceLocation location) {
    CallValues values;
    for (const auto& argument : arguments.positional) {
        INHOUSE_ASSIGN_OR_RETURN(Value value, evaluate(*argument, scope));
        values.positional.push_back(std::move(value));
    }
    if (arguments.star_args) {
        INHOUSE_ASSIGN_OR_RETURN(Value extra, evaluate(*arguments.star_args, scope));
        INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, located(iterate(extra), location));
        for (Value& item : items) {
            values.positional.push_back(std::move(item));
        }
    }
    for (const auto& [name, argument] : arguments.keyword) {
        INHOUSE_ASSIGN_OR_RETURN(Value value, evaluate(*argument, scope));
        values.keyword.emplace_back(name, std::move(value));
    }
    if (arguments.star_kwargs) {
        INHOUSE_ASSIGN_OR_RETURN(Value extra, evaluate(*arguments.star_kwargs, scope));
        if (!extra.is_dict()) {
            return fail(location, fmt::format("argument after ** must be a mapping, not {}",
                                              type_name(extra)));
        }
        for (const auto& [key, value] : extra.as_dict().entries) {
            if (!key.is_string()) {
                return fail(location, "keywords must be strings");
            }
            values.keyword.emplace_back(key.as_string(), value);
        }
    }
    if (Status charged = charge_list(values.positional.size() + values.keyword.size());
        !charged.ok()) {
        return locate(std::move(charged).error(), location);
    }
    return values;
}

Result<Value> Interpreter::evaluate_call(const Expression& expression,
                                         const std::shared_ptr<Scope>& scope, const Value* caller) {
    INHOUSE_ASSIGN_OR_RETURN(Value callee, evaluate(*expression.operands[0], scope));
    INHOUSE_ASSIGN_OR_RETURN(CallValues arguments,
                             evaluate_arguments(expression.arguments, scope, expression.location));
    if (caller != nullptr) {
        arguments.keyword.emplace_back("caller", *caller);
    }
    return located(call(callee, arguments), expression.location);
}

Result<Value> Interpreter::evaluate_filter(const Expression& expression,
                                           const std::shared_ptr<Scope>& scope,
                                           const Value* block_input) {
    Value input;
    const Expression* source = expression.operands[0].get();
    if (source == nullptr) {
        input = block_input ? *block_input : Value();
    } else if (block_input != nullptr && source->kind == ExpressionKind::Filter) {
        INHOUSE_ASSIGN_OR_RETURN(input, evaluate_filter(*source, scope, block_input));
    } else {
        INHOUSE_ASSIGN_OR_RETURN(input, evaluate(*source, scope));
    }
    INHOUSE_ASSIGN_OR_RETURN(CallValues arguments,
                             evaluate_arguments(expression.arguments, scope, expression.location));
    return located(apply_filter(expression.name, input, arguments), expression.location);
}

Result<Value> Interpreter::evaluate_test(const Expression& expression,
                                         const std::shared_ptr<Scope>& scope) {
    INHOUSE_ASSIGN_OR_RETURN(Value input, evaluate(*expression.operands[0], scope));
    INHOUSE_ASSIGN_OR_RETURN(CallValues arguments,
                             evaluate_arguments(expression.arguments, scope, expression.location));
    INHOUSE_ASSIGN_OR_RETURN(
        bool passed, located(apply_test(expression.name, input, arguments), expression.location));
    return Value::boolean(passed);
}

Result<Value> Interpreter::evaluate_compare(const Expression& expression,
                                            const std::shared_ptr<Scope>& scope) {
    INHOUSE_ASSIGN_OR_RETURN(Value left, evaluate(*expression.operands[0], scope));
    for (std::size_t index = 0; index < expression.compare_operators.size(); ++index) {
        INHOUSE_ASSIGN_OR_RETURN(Value right, evaluate(*expression.operands[index + 1], scope));
        INHOUSE_ASSIGN_OR_RETURN(
            bool holds, located(compare_values(expression.compare_operators[index], left, right),
                                expression.location));
        if (!holds) {
            return Value::boolean(false);
        }
        left = std::move(right);
    }
    return Value::boolean(true);
}

Result<Value> Interpreter::evaluate_unary(const Expression& expression,
                                          const std::shared_ptr<Scope>& scope) {
    INHOUSE_ASSIGN_OR_RETURN(Value operand, evaluate(*expression.operands[0], scope));
    return located(unary_operation(expression.kind == ExpressionKind::Negate, operand),
                   expression.location);
}

Result<Value> Interpreter::evaluate_binary(const Expression& expression,
                                           const std::shared_ptr<Scope>& scope) {
    INHOUSE_ASSIGN_OR_RETURN(Value left, evaluate(*expression.operands[0], scope));
    INHOUSE_ASSIGN_OR_RETURN(Value right, evaluate(*expression.operands[1], scope));
    return located(binary_operation(*this, expression.binary_operator, left, right),
                   expression.location);
}

Result<Value> Interpreter::evaluate_concat(const Expression& expression,
                                           const std::shared_ptr<Scope>& scope) {
    std::string out;
    for (const auto& operand : expression.operands) {
        INHOUSE_ASSIGN_OR_RETURN(Value value, evaluate(*operand, scope));
        out += to_str(value);
        if (Status charged = charge_string(out.size()); !charged.ok()) {
            return locate(std::move(charged).error(), expression.location);
        }
    }
    return Value::string(std::move(out));
}

Result<Value> Interpreter::evaluate_conditional(const Expression& expression,
                                                const std::shared_ptr<Scope>& scope) {
    INHOUSE_ASSIGN_OR_RETURN(Value condition, evaluate(*expression.operands[1], scope));
    if (is_truthy(condition)) {
        return evaluate(*expression.operands[0], scope);
    }
    if (expression.operands[2]) {
        return evaluate(*expression.operands[2], scope);
    }
    return Value::undefined(fmt::format(
        "the inline if-expression on line {} evaluated to false and no else section was defined.",
        expression.location.line));
}

}  // namespace inhouse::chat::jinja
