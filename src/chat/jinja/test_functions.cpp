// jinja2's tests (`x is defined`, `n is divisibleby 3`, …) with Python's type rules:
// bool counts as a number but not as an integer, strings are iterable, undefined is
// iterable and a sequence.
#include <cmath>

#include "chat/jinja/filters.h"
#include "chat/jinja/operators.h"
#include "chat/jinja/python_ops.h"
#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

Result<Value> single_argument(std::string_view test, const CallValues& arguments) {
    if (arguments.positional.size() + arguments.keyword.size() != 1) {
        return make_error(ErrorCode::InvalidFormat, "test '{}' takes exactly one argument", test);
    }
    return arguments.positional.empty() ? arguments.keyword.front().second
                                        : arguments.positional.front();
}

Result<bool> defined(RenderContext&, const Value& input, const CallValues&) {
    return !input.is_undefined();
}
Result<bool> undefined(RenderContext&, const Value& input, const CallValues&) {
    return input.is_undefined();
}
Result<bool> none(RenderContext&, const Value& input, const CallValues&) {
    return input.is_none();
}
Result<bool> boolean(RenderContext&, const Value& input, const CallValues&) {
    return input.is_bool();
}
Result<bool> is_true(RenderContext&, const Value& input, const CallValues&) {
    return input.is_bool() && input.as_bool();
}
Result<bool> is_false(RenderContext&, const Value& input, const CallValues&) {
    return input.is_bool() && !input.as_bool();
}
Result<bool> string(RenderContext&, const Value& input, const CallValues&) {
    return input.is_string();
}
Result<bool> number(RenderContext&, const Value& input, const CallValues&) {
    return input.is_number();
}
Result<bool> integer(RenderContext&, const Value& input, const CallValues&) {
    return input.is_int();
}
Result<bool> floating(RenderContext&, const Value& input, const CallValues&) {
    return input.is_float();
}
Result<bool> mapping(RenderContext&, const Value& input, const CallValues&) {
    return input.is_dict();
}

Result<bool> iterable(RenderContext&, const Value& input, const CallValues&) {
    return input.is_undefined() || input.is_string() || input.is_list() || input.is_dict();
}

Result<bool> sequence(RenderContext&, const Value& input, const CallValues&) {
    return input.is_undefined() || input.is_string() || input.is_list() || input.is_dict();
}

Result<bool> callable(RenderContext&, const Value& input, const CallValues&) {
    // jinja2's Undefined defines __call__ (to raise), so Python's callable() says yes.
    return input.is_undefined() ||
           (input.is_object() && dynamic_cast<const Callable*>(&input.as_object()) != nullptr);
}

Result<bool> lower(RenderContext&, const Value& input, const CallValues&) {
    std::string text = to_str(input);
    std::u32string code_points = unicode::decode(text);
    bool has_cased = std::any_of(code_points.begin(), code_points.end(), unicode::is_cased);
    return has_cased && unicode::lower(text) == text;
}

Result<bool> upper(RenderContext&, const Value& input, const CallValues&) {
    std::string text = to_str(input);
    std::u32string code_points = unicode::decode(text);
    bool has_cased = std::any_of(code_points.begin(), code_points.end(), unicode::is_cased);
    return has_cased && unicode::upper(text) == text;
}

Result<bool> parity(RenderContext& context, const Value& input, bool want_odd) {
    INHOUSE_ASSIGN_OR_RETURN(Value remainder, binary_operation(context, BinaryOperator::Modulo,
                                                               input, Value::integer(2)));
    return python_equals(remainder, Value::integer(want_odd ? 1 : 0));
}
Result<bool> odd(RenderContext& context, const Value& input, const CallValues&) {
    return parity(context, input, true);
}
Result<bool> even(RenderContext& context, const Value& input, const CallValues&) {
    return parity(context, input, false);
}

Result<bool> divisibleby(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(Value divisor, single_argument("divisibleby", arguments));
    INHOUSE_ASSIGN_OR_RETURN(Value remainder,
                             binary_operation(context, BinaryOperator::Modulo, input, divisor));
    return python_equals(remainder, Value::integer(0));
}

template <CompareOperator kOperator>
Result<bool> comparison(RenderContext&, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(Value other, single_argument("comparison", arguments));
    return compare_values(kOperator, input, other);
}

Result<bool> in(RenderContext&, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(Value container, single_argument("in", arguments));
    return contains(container, input);
}

Result<bool> sameas(RenderContext&, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(Value other, single_argument("sameas", arguments));
    // Identity: singletons compare by value, containers and objects by identity.
    if (input.kind() != other.kind()) {
        return false;
    }
    switch (input.kind()) {
        case ValueKind::None: return true;
        case ValueKind::Bool: return input.as_bool() == other.as_bool();
        case ValueKind::Namespace: return input.namespace_ptr() == other.namespace_ptr();
        case ValueKind::Object: return input.object_ptr() == other.object_ptr();
        case ValueKind::List: return &input.as_list() == &other.as_list();
        case ValueKind::Dict: return &input.as_dict() == &other.as_dict();
        default: return python_equals(input, other);
    }
}

Result<bool> escaped(RenderContext&, const Value&, const CallValues&) {
    return false;
}

Result<bool> filter_exists(RenderContext&, const Value& input, const CallValues&) {
    return input.is_string() && find_filter(input.as_string()) != nullptr;
}

Result<bool> test_exists(RenderContext&, const Value& input, const CallValues&) {
    return input.is_string() && find_test(input.as_string()) != nullptr;
}

// Tests that take only their input refuse arguments, as the Python functions behind them do
// (`x is string[0]` passes [0] as an argument).
template <TestFunction kTest>
Result<bool> without_arguments(RenderContext& context, const Value& input,
                               const CallValues& arguments) {
    std::size_t n_arguments = arguments.positional.size() + arguments.keyword.size();
    if (n_arguments > 0) {
        return make_error(ErrorCode::InvalidFormat,
                          "test takes 1 positional argument but {} were given", n_arguments + 1);
    }
    return kTest(context, input, arguments);
}

struct NamedTest {
    std::string_view name;
    TestFunction function;
};

constexpr NamedTest kTests[] = {
    {"boolean", without_arguments<boolean>},
    {"callable", without_arguments<callable>},
    {"defined", without_arguments<defined>},
    {"divisibleby", divisibleby},
    {"eq", comparison<CompareOperator::Equal>},
    {"equalto", comparison<CompareOperator::Equal>},
    {"==", comparison<CompareOperator::Equal>},
    {"escaped", without_arguments<escaped>},
    {"even", without_arguments<even>},
    {"false", without_arguments<is_false>},
    {"filter", without_arguments<filter_exists>},
    {"float", without_arguments<floating>},
    {"ge", comparison<CompareOperator::GreaterEqual>},
    {">=", comparison<CompareOperator::GreaterEqual>},
    {"gt", comparison<CompareOperator::Greater>},
    {"greaterthan", comparison<CompareOperator::Greater>},
    {">", comparison<CompareOperator::Greater>},
    {"in", in},
    {"integer", without_arguments<integer>},
    {"iterable", without_arguments<iterable>},
    {"le", comparison<CompareOperator::LessEqual>},
    {"<=", comparison<CompareOperator::LessEqual>},
    {"lower", without_arguments<lower>},
    {"lt", comparison<CompareOperator::Less>},
    {"lessthan", comparison<CompareOperator::Less>},
    {"<", comparison<CompareOperator::Less>},
    {"mapping", without_arguments<mapping>},
    {"ne", comparison<CompareOperator::NotEqual>},
    {"!=", comparison<CompareOperator::NotEqual>},
    {"none", without_arguments<none>},
    {"number", without_arguments<number>},
    {"odd", without_arguments<odd>},
    {"sameas", sameas},
    {"sequence", without_arguments<sequence>},
    {"string", without_arguments<string>},
    {"test", without_arguments<test_exists>},
    {"true", without_arguments<is_true>},
    {"undefined", without_arguments<undefined>},
    {"upper", without_arguments<upper>},
};

}  // namespace

const TestFunction* find_test(std::string_view name) {
    for (const NamedTest& test : kTests) {
        if (test.name == name) {
            return &test.function;
        }
    }
    return nullptr;
}

}  // namespace inhouse::chat::jinja
