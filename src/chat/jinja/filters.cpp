#include "chat/jinja/filters.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "chat/jinja/access.h"
#include "chat/jinja/json_output.h"
#include "chat/jinja/methods.h"
#include "chat/jinja/python_ops.h"
#include "chat/jinja/string_ops.h"
#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

Error filter_error(std::string message) {
    return Error(ErrorCode::InvalidFormat, std::move(message));
}

Result<Value> text_result(RenderContext& context, std::string text) {
    INHOUSE_RETURN_IF_ERROR(context.charge_string(text.size()));
    return Value::string(std::move(text));
}

Result<Value> upper(RenderContext& context, const Value& input, const CallValues&) {
    return text_result(context, unicode::upper(to_str(input)));
}

Result<Value> lower(RenderContext& context, const Value& input, const CallValues&) {
    return text_result(context, unicode::lower(to_str(input)));
}

Result<Value> capitalize(RenderContext& context, const Value& input, const CallValues&) {
    return text_result(context, unicode::capitalize(to_str(input)));
}

// jinja2's title filter: each piece between runs of [-\s({[<] gets its first character
// upper-cased and the rest lower-cased (not Python's str.title()).
Result<Value> title(RenderContext& context, const Value& input, const CallValues&) {
    auto is_boundary = [](char32_t c) {
        return unicode::is_space(c) || c == U'-' || c == U'(' || c == U'{' || c == U'[' ||
               c == U'<';
    };
    std::string out;
    bool at_word_start = true;
    for (char32_t code_point : unicode::decode(to_str(input))) {
        if (is_boundary(code_point)) {
            unicode::append_utf8(code_point, out);
            at_word_start = true;
        } else if (at_word_start) {
            out += unicode::upper(unicode::encode(std::u32string(1, code_point)));
            at_word_start = false;
        } else {
            unicode::append_utf8(unicode::to_lower(code_point), out);
        }
    }
    return text_result(context, std::move(out));
}

Result<Value> trim(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("trim", arguments, {"chars"}));
    const Value* chars = args.find("chars");
    std::string chars_text;
    if (chars != nullptr && !chars->is_none()) {
        if (!chars->is_string()) {
            return filter_error(
                fmt::format("strip arg must be None or str, not {}", type_name(*chars)));
        }
        chars_text = chars->as_string();
    }
    const std::string* strip_set = (chars != nullptr && !chars->is_none()) ? &chars_text : nullptr;
    return text_result(context, unicode::strip(to_str(input), strip_set, true, true));
}

Result<Value> replace(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("replace", arguments, {"old", "new", "count"}));
    const Value* old = args.find("old");
    const Value* replacement = args.find("new");
    if (old == nullptr || replacement == nullptr) {
        return filter_error("replace() needs the old and new strings");
    }
    Value count = args.get_or("count", Value::none());
    std::int64_t limit = -1;
    if (count.is_int()) {
        limit = count.as_int();
    } else if (!count.is_none()) {
        return filter_error(
            fmt::format("'{}' object cannot be interpreted as an integer", type_name(count)));
    }
    std::string text = to_str(input);
    INHOUSE_RETURN_IF_ERROR(context.charge_string(text.size()));
    return text_result(context, python_replace(text, to_str(*old), to_str(*replacement), limit));
}

Result<Value> indent(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(
        BoundArguments args,
        BoundArguments::bind("indent", arguments, {"width", "first", "blank"}));
    Value width = args.get_or("width", Value::integer(4));
    std::string indentation;
    if (width.is_string()) {
        indentation = width.as_string();
    } else if (width.is_int() || width.is_bool()) {
        std::int64_t n_spaces = width.is_bool() ? width.as_bool() : width.as_int();
        INHOUSE_RETURN_IF_ERROR(
            context.charge_string(static_cast<std::size_t>(std::max<std::int64_t>(n_spaces, 0))));
        indentation.assign(static_cast<std::size_t>(std::max<std::int64_t>(n_spaces, 0)), ' ');
    } else {
        return filter_error(
            fmt::format("can't multiply sequence by non-int of type '{}'", type_name(width)));
    }
    if (!input.is_string()) {
        // jinja2 appends "\n" to the value, which only a string accepts.
        return filter_error(fmt::format("indent needs a string, not {}", type_name(input)));
    }
    // jinja2 appends a newline first so that splitlines() keeps a trailing empty line.
    std::vector<std::string> lines = python_splitlines(input.as_string() + "\n", false);
    std::string out;
    if (is_truthy(args.get_or("blank", Value::boolean(false)))) {
        for (std::size_t index = 0; index < lines.size(); ++index) {
            out += index > 0 ? "\n" + indentation : "";
            out += lines[index];
        }
    } else {
        for (std::size_t index = 0; index < lines.size(); ++index) {
            if (index > 0) {
                out += "\n";
                out += lines[index].empty() ? "" : indentation;
            }
            out += lines[index];
        }
    }
    if (is_truthy(args.get_or("first", Value::boolean(false)))) {
        out = indentation + out;
    }
    return text_result(context, std::move(out));
}

Result<Value> wordcount(RenderContext&, const Value& input, const CallValues&) {
    std::int64_t n_words = 0;
    bool in_word = false;
    for (char32_t code_point : unicode::decode(to_str(input))) {
        bool is_word =
            unicode::is_alpha(code_point) || unicode::is_digit(code_point) || code_point == U'_';
        n_words += (is_word && !in_word) ? 1 : 0;
        in_word = is_word;
    }
    return Value::integer(n_words);
}

Result<Value> string(RenderContext& context, const Value& input, const CallValues&) {
    return text_result(context, to_str(input));
}

Result<Value> escape(RenderContext& context, const Value& input, const CallValues&) {
    std::string out;
    for (char c : to_str(input)) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&#34;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return text_result(context, std::move(out));
}

Result<Value> center(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("center", arguments, {"width"}));
    CallValues method_arguments;
    method_arguments.positional.push_back(args.get_or("width", Value::integer(80)));
    return call_string_method(context, to_str(input), "center", method_arguments);
}

Result<Value> default_value(RenderContext&, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(
        BoundArguments args,
        BoundArguments::bind("default", arguments, {"default_value", "boolean"}));
    bool replace_falsy = is_truthy(args.get_or("boolean", Value::boolean(false)));
    if (input.is_undefined() || (replace_falsy && !is_truthy(input))) {
        return args.get_or("default_value", Value::string(""));
    }
    return input;
}

// int() and float() of undefined raise in jinja2 (Undefined.__int__), past the filters'
// fallback to their default.
Status fail_if_undefined(const Value& input) {
    if (input.is_undefined()) {
        const std::string& hint = input.undefined_hint();
        return filter_error(hint.empty() ? "value is undefined" : hint);
    }
    return {};
}

Result<Value> to_int(RenderContext&, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("int", arguments, {"default", "base"}));
    INHOUSE_RETURN_IF_ERROR(fail_if_undefined(input));
    Value fallback = args.get_or("default", Value::integer(0));
    if (input.is_bool()) {
        return Value::integer(input.as_bool() ? 1 : 0);
    }
    if (input.is_int()) {
        return input;
    }
    std::optional<double> number;
    if (input.is_float()) {
        number = input.as_float();
    } else if (input.is_string()) {
        if (std::optional<std::int64_t> parsed = parse_python_int(input.as_string())) {
            return Value::integer(*parsed);
        }
        number = parse_python_float(input.as_string());  // "42.23"|int gives 42
    }
    if (!number || !std::isfinite(*number) || std::fabs(*number) >= 9.2e18) {
        return fallback;
    }
    return Value::integer(static_cast<std::int64_t>(std::trunc(*number)));
}

Result<Value> to_float(RenderContext&, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("float", arguments, {"default"}));
    INHOUSE_RETURN_IF_ERROR(fail_if_undefined(input));
    if (input.is_number()) {
        return Value::floating(input.to_double());
    }
    if (input.is_string()) {
        if (std::optional<double> parsed = parse_python_float(input.as_string())) {
            return Value::floating(*parsed);
        }
    }
    return args.get_or("default", Value::floating(0.0));
}

Result<Value> absolute(RenderContext&, const Value& input, const CallValues&) {
    if (input.is_bool() || input.is_int()) {
        std::int64_t value = input.is_bool() ? input.as_bool() : input.as_int();
        if (value == INT64_MIN) {
            return filter_error("integer result too large for this implementation");
        }
        return Value::integer(value < 0 ? -value : value);
    }
    if (input.is_float()) {
        return Value::floating(std::fabs(input.as_float()));
    }
    return filter_error(fmt::format("bad operand type for abs(): '{}'", type_name(input)));
}

// Python's round(int, ndigits): unchanged for ndigits >= 0, otherwise to a multiple of
// 10**-ndigits with ties to even.
std::int64_t round_integer(std::int64_t value, std::int64_t precision) {
    if (precision >= 0) {
        return value;
    }
    if (precision < -18) {
        return 0;  // |value| < 10**19 / 2
    }
    std::int64_t multiple = 1;
    for (std::int64_t digit = 0; digit < -precision; ++digit) {
        multiple *= 10;
    }
    std::int64_t quotient = value / multiple;
    std::int64_t remainder = value % multiple;
    if (remainder < 0) {
        remainder += multiple;
        --quotient;
    }
    // remainder < multiple <= 10**18, so doubling it cannot overflow.
    bool round_up = remainder * 2 > multiple || (remainder * 2 == multiple && (quotient & 1) != 0);
    if (round_up) {
        ++quotient;
    }
    std::int64_t result = 0;
    if (__builtin_mul_overflow(quotient, multiple, &result)) {
        return value;
    }
    return result;
}

Result<Value> round(RenderContext&, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("round", arguments, {"precision", "method"}));
    Value precision_value = args.get_or("precision", Value::integer(0));
    Value method = args.get_or("method", Value::string("common"));
    if (!method.is_string() || (method.as_string() != "common" && method.as_string() != "ceil" &&
                                method.as_string() != "floor")) {
        return filter_error("method must be common, ceil or floor");
    }
    if (!input.is_number() || !(precision_value.is_int() || precision_value.is_bool())) {
        return filter_error(
            fmt::format("type {} doesn't define __round__ method", type_name(input)));
    }
    std::int64_t precision =
        precision_value.is_bool() ? precision_value.as_bool() : precision_value.as_int();
    precision = std::clamp<std::int64_t>(precision, -308, 308);
    if (method.as_string() == "common" && !input.is_float()) {
        std::int64_t value = input.is_bool() ? input.as_bool() : input.as_int();
        return Value::integer(round_integer(value, precision));
    }
    double value = input.to_double();
    double scale = std::pow(10.0, static_cast<double>(precision));
    if (method.as_string() != "common") {
        double scaled =
            method.as_string() == "ceil" ? std::ceil(value * scale) : std::floor(value * scale);
        return Value::floating(scaled / scale);
    }
    if (precision >= 0 && std::isfinite(value)) {
        // printf rounds the exact binary value half-to-even, as Python's round() does.
        std::string text =
            fmt::format("{:.{}f}", value, static_cast<int>(std::min<std::int64_t>(precision, 340)));
        return Value::floating(std::strtod(text.c_str(), nullptr));
    }
    return Value::floating(std::nearbyint(value * scale) / scale);
}

Result<Value> tojson(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(
        BoundArguments args,
        BoundArguments::bind("tojson", arguments,
                             {"ensure_ascii", "indent", "separators", "sort_keys"}));
    JsonFormat format;
    format.ensure_ascii = is_truthy(args.get_or("ensure_ascii", Value::boolean(false)));
    format.sort_keys = is_truthy(args.get_or("sort_keys", Value::boolean(false)));
    Value indent_value = args.get_or("indent", Value::none());
    if (indent_value.is_string()) {
        format.indent = indent_value.as_string();
    } else if (indent_value.is_int() || indent_value.is_bool()) {
        std::int64_t width =
            indent_value.is_bool() ? indent_value.as_bool() : indent_value.as_int();
        format.indent =
            std::string(static_cast<std::size_t>(std::clamp<std::int64_t>(width, 0, 64)), ' ');
    } else if (!indent_value.is_none()) {
        return filter_error("tojson indent must be an int, a str or None");
    }
    Value separators = args.get_or("separators", Value::none());
    if (!separators.is_none()) {
        if (!separators.is_list() || separators.as_list().items.size() != 2 ||
            !separators.as_list().items[0].is_string() ||
            !separators.as_list().items[1].is_string()) {
            return filter_error("tojson separators must be a pair of strings");
        }
        format.item_separator = separators.as_list().items[0].as_string();
        format.key_separator = separators.as_list().items[1].as_string();
    }
    INHOUSE_ASSIGN_OR_RETURN(std::string json, to_json(input, format));
    return text_result(context, std::move(json));
}

Result<Value> attr(RenderContext&, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("attr", arguments, {"name"}));
    const Value* name = args.find("name");
    if (name == nullptr || !name->is_string()) {
        return filter_error("attr() needs an attribute name");
    }
    return get_attribute(input, name->as_string());
}

struct NamedFilter {
    std::string_view name;
    FilterFunction function;
};

constexpr NamedFilter kFilters[] = {
    {"abs", absolute},
    {"attr", attr},
    {"batch", filters::batch},
    {"capitalize", capitalize},
    {"center", center},
    {"count", filters::length},
    {"d", default_value},
    {"default", default_value},
    {"dictsort", filters::dictsort},
    {"e", escape},
    {"escape", escape},
    {"first", filters::first},
    {"float", to_float},
    {"forceescape", escape},
    {"indent", indent},
    {"int", to_int},
    {"items", filters::items},
    {"join", filters::join},
    {"last", filters::last},
    {"length", filters::length},
    {"list", filters::list},
    {"lower", lower},
    {"map", filters::map},
    {"max", filters::max},
    {"min", filters::min},
    {"reject", filters::reject},
    {"rejectattr", filters::rejectattr},
    {"replace", replace},
    {"reverse", filters::reverse},
    {"round", round},
    {"safe", string},
    {"select", filters::select},
    {"selectattr", filters::selectattr},
    {"sort", filters::sort},
    {"string", string},
    {"sum", filters::sum},
    {"title", title},
    {"tojson", tojson},
    {"trim", trim},
    {"unique", filters::unique},
    {"upper", upper},
    {"wordcount", wordcount},
};

}  // namespace

const FilterFunction* find_filter(std::string_view name) {
    for (const NamedFilter& filter : kFilters) {
        if (filter.name == name) {
            return &filter.function;
        }
    }
    return nullptr;
}

}  // namespace inhouse::chat::jinja
