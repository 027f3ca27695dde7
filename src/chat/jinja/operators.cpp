#include "chat/jinja/operators.h"

#include <cmath>
#include <limits>

#include "chat/jinja/python_ops.h"

namespace inhouse::chat::jinja {

namespace {

Error type_error(std::string message) {
    return Error(ErrorCode::InvalidFormat, std::move(message));
}

Error undefined_error(const Value& undefined) {
    const std::string& hint = undefined.undefined_hint();
    return type_error(hint.empty() ? "value is undefined" : hint);
}

std::string_view symbol(BinaryOperator op) {
    switch (op) {
        case BinaryOperator::Add: return "+";
        case BinaryOperator::Subtract: return "-";
        case BinaryOperator::Multiply: return "*";
        case BinaryOperator::Divide: return "/";
        case BinaryOperator::FloorDivide: return "//";
        case BinaryOperator::Modulo: return "%";
        case BinaryOperator::Power: return "**";
    }
    return "?";
}

Error unsupported(BinaryOperator op, const Value& left, const Value& right) {
    return type_error(fmt::format("unsupported operand type(s) for {}: '{}' and '{}'", symbol(op),
                                  type_name(left), type_name(right)));
}

bool is_integral(const Value& value) {
    return value.is_int() || value.is_bool();
}

std::int64_t integral(const Value& value) {
    return value.is_bool() ? (value.as_bool() ? 1 : 0) : value.as_int();
}

Error overflow() {
    return type_error("integer result too large for this implementation");
}

Result<Value> integer_operation(BinaryOperator op, std::int64_t left, std::int64_t right) {
    std::int64_t result = 0;
    switch (op) {
        case BinaryOperator::Add:
            if (__builtin_add_overflow(left, right, &result))
                return overflow();
            return Value::integer(result);
        case BinaryOperator::Subtract:
            if (__builtin_sub_overflow(left, right, &result))
                return overflow();
            return Value::integer(result);
        case BinaryOperator::Multiply:
            if (__builtin_mul_overflow(left, right, &result))
                return overflow();
            return Value::integer(result);
        case BinaryOperator::Divide:
            if (right == 0)
                return type_error("division by zero");
            return Value::floating(static_cast<double>(left) / static_cast<double>(right));
        case BinaryOperator::FloorDivide:
        case BinaryOperator::Modulo: {
            if (right == 0)
                return type_error("integer division or modulo by zero");
            if (left == std::numeric_limits<std::int64_t>::min() && right == -1)
                return overflow();
            // Python rounds the quotient toward negative infinity; the remainder takes the
            // divisor's sign.
            std::int64_t quotient = left / right;
            std::int64_t remainder = left % right;
            if (remainder != 0 && ((remainder < 0) != (right < 0))) {
                --quotient;
                remainder += right;
            }
            return Value::integer(op == BinaryOperator::FloorDivide ? quotient : remainder);
        }
        case BinaryOperator::Power: {
            if (right < 0) {
                if (left == 0)
                    return type_error("0.0 cannot be raised to a negative power");
                return Value::floating(
                    std::pow(static_cast<double>(left), static_cast<double>(right)));
            }
            std::int64_t base = left;
            result = 1;
            for (std::int64_t exponent = right; exponent > 0; exponent >>= 1) {
                if ((exponent & 1) != 0 && __builtin_mul_overflow(result, base, &result)) {
                    return overflow();
                }
                if (exponent > 1 && __builtin_mul_overflow(base, base, &base)) {
                    return overflow();
                }
            }
            return Value::integer(result);
        }
    }
    return type_error("unknown operator");
}

Result<Value> float_operation(BinaryOperator op, double left, double right) {
    switch (op) {
        case BinaryOperator::Add: return Value::floating(left + right);
        case BinaryOperator::Subtract: return Value::floating(left - right);
        case BinaryOperator::Multiply: return Value::floating(left * right);
        case BinaryOperator::Divide:
            if (right == 0.0)
                return type_error("float division by zero");
            return Value::floating(left / right);
        case BinaryOperator::FloorDivide:
        case BinaryOperator::Modulo: {
            if (right == 0.0)
                return type_error("float modulo");
            // CPython's float_divmod.
            double mod = std::fmod(left, right);
            double div = (left - mod) / right;
            if (mod != 0.0) {
                if ((right < 0) != (mod < 0)) {
                    mod += right;
                    div -= 1.0;
                }
            } else {
                mod = std::copysign(0.0, right);
            }
            double floor_div = 0.0;
            if (div != 0.0) {
                floor_div = std::floor(div);
                if (div - floor_div > 0.5) {
                    floor_div += 1.0;
                }
            } else {
                floor_div = std::copysign(0.0, left / right);
            }
            return Value::floating(op == BinaryOperator::FloorDivide ? floor_div : mod);
        }
        case BinaryOperator::Power:
            if (left == 0.0 && right < 0)
                return type_error("0.0 cannot be raised to a negative power");
            return Value::floating(std::pow(left, right));
    }
    return type_error("unknown operator");
}

Result<Value> repeat(RenderContext& context, const Value& sequence, std::int64_t count) {
    std::int64_t n_copies = count < 0 ? 0 : count;
    if (sequence.is_string()) {
        const std::string& text = sequence.as_string();
        if (!text.empty() && static_cast<std::uint64_t>(n_copies) >
                                 context.limits().max_string_bytes / text.size()) {
            return make_error(ErrorCode::Unsupported,
                              "string repetition exceeds the template limit of {} bytes",
                              context.limits().max_string_bytes);
        }
        INHOUSE_RETURN_IF_ERROR(
            context.charge_string(text.size() * static_cast<std::size_t>(n_copies)));
        std::string out;
        out.reserve(text.size() * static_cast<std::size_t>(n_copies));
        for (std::int64_t index = 0; index < n_copies; ++index) {
            out += text;
        }
        return Value::string(std::move(out));
    }
    const ListData& list = sequence.as_list();
    if (!list.items.empty() && static_cast<std::uint64_t>(n_copies) >
                                   context.limits().max_list_items / list.items.size()) {
        return make_error(ErrorCode::Unsupported,
                          "list repetition exceeds the template limit of {} items",
                          context.limits().max_list_items);
    }
    INHOUSE_RETURN_IF_ERROR(
        context.charge_list(list.items.size() * static_cast<std::size_t>(n_copies)));
    std::vector<Value> items;
    for (std::int64_t index = 0; index < n_copies; ++index) {
        items.insert(items.end(), list.items.begin(), list.items.end());
    }
    return list.is_tuple ? Value::tuple(std::move(items)) : Value::list(std::move(items));
}

Result<Value> add_sequences(RenderContext& context, const Value& left, const Value& right) {
    if (left.is_string()) {
        if (!right.is_string()) {
            return type_error(
                fmt::format("can only concatenate str (not \"{}\") to str", type_name(right)));
        }
        INHOUSE_RETURN_IF_ERROR(
            context.charge_string(left.as_string().size() + right.as_string().size()));
        return Value::string(left.as_string() + right.as_string());
    }
    if (!right.is_list() || left.is_tuple() != right.is_tuple()) {
        return type_error(fmt::format("can only concatenate {} (not \"{}\") to {}", type_name(left),
                                      type_name(right), type_name(left)));
    }
    const auto& left_items = left.as_list().items;
    const auto& right_items = right.as_list().items;
    INHOUSE_RETURN_IF_ERROR(context.charge_list(left_items.size() + right_items.size()));
    std::vector<Value> items;
    items.reserve(left_items.size() + right_items.size());
    items.insert(items.end(), left_items.begin(), left_items.end());
    items.insert(items.end(), right_items.begin(), right_items.end());
    return left.is_tuple() ? Value::tuple(std::move(items)) : Value::list(std::move(items));
}

}  // namespace

Result<Value> binary_operation(RenderContext& context, BinaryOperator op, const Value& left,
                               const Value& right) {
    if (left.is_undefined()) {
        return undefined_error(left);
    }
    if (right.is_undefined()) {
        return undefined_error(right);
    }
    if (left.is_number() && right.is_number()) {
        if (is_integral(left) && is_integral(right)) {
            return integer_operation(op, integral(left), integral(right));
        }
        return float_operation(op, left.to_double(), right.to_double());
    }
    if (op == BinaryOperator::Add && (left.is_string() || left.is_list())) {
        return add_sequences(context, left, right);
    }
    if (op == BinaryOperator::Multiply) {
        if ((left.is_string() || left.is_list()) && is_integral(right)) {
            return repeat(context, left, integral(right));
        }
        if (is_integral(left) && (right.is_string() || right.is_list())) {
            return repeat(context, right, integral(left));
        }
    }
    if (op == BinaryOperator::Modulo && left.is_string()) {
        return type_error("printf-style string formatting (%) is not supported in templates");
    }
    return unsupported(op, left, right);
}

Result<Value> unary_operation(bool negate, const Value& operand) {
    if (operand.is_undefined()) {
        return undefined_error(operand);
    }
    if (is_integral(operand)) {
        std::int64_t value = integral(operand);
        if (!negate) {
            return Value::integer(value);
        }
        if (value == std::numeric_limits<std::int64_t>::min()) {
            return overflow();
        }
        return Value::integer(-value);
    }
    if (operand.is_float()) {
        return Value::floating(negate ? -operand.as_float() : operand.as_float());
    }
    return type_error(
        fmt::format("bad operand type for unary {}: '{}'", negate ? '-' : '+', type_name(operand)));
}

Result<bool> contains(const Value& container, const Value& item) {
    switch (container.kind()) {
        case ValueKind::Undefined: return false;
        case ValueKind::String:
            if (!item.is_string()) {
                return type_error(fmt::format(
                    "'in <string>' requires string as left operand, not {}", type_name(item)));
            }
            return container.as_string().find(item.as_string()) != std::string::npos;
        case ValueKind::List:
            for (const Value& candidate : container.as_list().items) {
                if (python_equals(candidate, item)) {
                    return true;
                }
            }
            return false;
        case ValueKind::Dict:
            if (!is_hashable(item)) {
                return type_error(fmt::format("unhashable type: '{}'", type_name(item)));
            }
            return dict_find(container.as_dict(), item).has_value();
        default:
            return type_error(
                fmt::format("argument of type '{}' is not iterable", type_name(container)));
    }
}

Result<bool> compare_values(CompareOperator op, const Value& left, const Value& right) {
    switch (op) {
        case CompareOperator::Equal: return python_equals(left, right);
        case CompareOperator::NotEqual: return !python_equals(left, right);
        case CompareOperator::In: return contains(right, left);
        case CompareOperator::NotIn: {
            INHOUSE_ASSIGN_OR_RETURN(bool found, contains(right, left));
            return !found;
        }
        default: break;
    }
    if (left.is_undefined()) {
        return undefined_error(left);
    }
    if (right.is_undefined()) {
        return undefined_error(right);
    }
    switch (op) {
        case CompareOperator::Less: return python_less(left, right);
        case CompareOperator::Greater: return python_less(right, left);
        case CompareOperator::LessEqual:
        case CompareOperator::GreaterEqual: {
            // NaN is neither smaller, larger nor equal, so `not (b < a)` would be wrong.
            if ((left.is_float() && std::isnan(left.as_float())) ||
                (right.is_float() && std::isnan(right.as_float()))) {
                return false;
            }
            bool is_less_equal = op == CompareOperator::LessEqual;
            INHOUSE_ASSIGN_OR_RETURN(
                bool reversed, is_less_equal ? python_less(right, left) : python_less(left, right));
            return !reversed;
        }
        default: return false;
    }
}

}  // namespace inhouse::chat::jinja
