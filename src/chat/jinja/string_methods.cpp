// The str methods templates call ("…".strip(), content.split('</think>')), with Python's
// argument rules and results.
#include <algorithm>
#include <optional>

#include "chat/jinja/methods.h"
#include "chat/jinja/python_ops.h"
#include "chat/jinja/string_ops.h"
#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

Error type_error(std::string message) {
    return Error(ErrorCode::InvalidFormat, std::move(message));
}

Result<const std::string*> optional_string(const Value* argument, std::string_view method) {
    if (argument == nullptr || argument->is_none()) {
        return static_cast<const std::string*>(nullptr);
    }
    if (!argument->is_string()) {
        return type_error(
            fmt::format("{}() argument must be str or None, not {}", method, type_name(*argument)));
    }
    return &argument->as_string();
}

Result<const std::string*> required_string(const Value* argument, std::string_view method) {
    if (argument == nullptr) {
        return type_error(fmt::format("{}() takes at least 1 argument (0 given)", method));
    }
    if (!argument->is_string()) {
        return type_error(fmt::format("must be str, not {}", type_name(*argument)));
    }
    return &argument->as_string();
}

Result<std::int64_t> integer_argument(const Value* argument, std::int64_t fallback) {
    if (argument == nullptr) {
        return fallback;
    }
    if (argument->is_int()) {
        return argument->as_int();
    }
    if (argument->is_bool()) {
        return std::int64_t{argument->as_bool() ? 1 : 0};
    }
    return type_error(
        fmt::format("'{}' object cannot be interpreted as an integer", type_name(*argument)));
}

Value string_list(std::vector<std::string> pieces) {
    std::vector<Value> items;
    items.reserve(pieces.size());
    for (auto& piece : pieces) {
        items.push_back(Value::string(std::move(piece)));
    }
    return Value::list(std::move(items));
}

// startswith/endswith take a str or a tuple of str.
Result<bool> matches_affix(const std::string& text, const Value& affix, bool at_start) {
    auto test = [&](const std::string& candidate) {
        return at_start ? std::string_view(text).starts_with(candidate)
                        : std::string_view(text).ends_with(candidate);
    };
    if (affix.is_string()) {
        return test(affix.as_string());
    }
    if (affix.is_tuple()) {
        for (const Value& item : affix.as_list().items) {
            if (!item.is_string()) {
                return type_error("tuple for startswith must only contain str");
            }
            if (test(item.as_string())) {
                return true;
            }
        }
        return false;
    }
    return type_error(fmt::format("{} first arg must be str or a tuple of str, not {}",
                                  at_start ? "startswith" : "endswith", type_name(affix)));
}

bool all_code_points(const std::string& text, bool (*predicate)(char32_t)) {
    std::u32string code_points = unicode::decode(text);
    return !code_points.empty() && std::all_of(code_points.begin(), code_points.end(), predicate);
}

Result<Value> pad(const std::string& text, std::string_view method, const BoundArguments& args) {
    INHOUSE_ASSIGN_OR_RETURN(std::int64_t width, integer_argument(args.find("width"), 0));
    Value fill = args.get_or("fillchar", Value::string(method == "zfill" ? "0" : " "));
    if (!fill.is_string() || unicode::count_code_points(fill.as_string()) != 1) {
        return type_error("The fill character must be exactly one character long");
    }
    std::int64_t length = code_point_length(text);
    if (width <= length) {
        return Value::string(text);
    }
    auto repeat = [&](std::int64_t n) {
        std::string out;
        for (std::int64_t index = 0; index < n; ++index) {
            out += fill.as_string();
        }
        return out;
    };
    std::int64_t padding = width - length;
    if (method == "ljust") {
        return Value::string(text + repeat(padding));
    }
    if (method == "rjust") {
        return Value::string(repeat(padding) + text);
    }
    if (method == "zfill") {
        bool signed_text = !text.empty() && (text[0] == '+' || text[0] == '-');
        return Value::string(signed_text ? text.substr(0, 1) + repeat(padding) + text.substr(1)
                                         : repeat(padding) + text);
    }
    // Python's center puts the odd extra character on the left when the width is odd.
    std::int64_t left = padding / 2 + (padding & width & 1);
    return Value::string(repeat(left) + text + repeat(padding - left));
}

Result<Value> split_method(const std::string& text, std::string_view method,
                           const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind(method, arguments, {"sep", "maxsplit"}));
    INHOUSE_ASSIGN_OR_RETURN(const std::string* separator,
                             optional_string(args.find("sep"), method));
    INHOUSE_ASSIGN_OR_RETURN(std::int64_t max_split, integer_argument(args.find("maxsplit"), -1));
    if (separator != nullptr && separator->empty()) {
        return type_error("empty separator");
    }
    return string_list(method == "split" ? python_split(text, separator, max_split)
                                         : python_rsplit(text, separator, max_split));
}

Result<Value> partition_method(const std::string& text, std::string_view method,
                               const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args, BoundArguments::bind(method, arguments, {"sep"}));
    INHOUSE_ASSIGN_OR_RETURN(const std::string* separator,
                             required_string(args.find("sep"), method));
    if (separator->empty()) {
        return type_error("empty separator");
    }
    std::size_t found = method == "partition" ? text.find(*separator) : text.rfind(*separator);
    if (found == std::string::npos) {
        return method == "partition"
                   ? Value::tuple({Value::string(text), Value::string(""), Value::string("")})
                   : Value::tuple({Value::string(""), Value::string(""), Value::string(text)});
    }
    return Value::tuple({Value::string(text.substr(0, found)), Value::string(*separator),
                         Value::string(text.substr(found + separator->size()))});
}

Result<Value> search_method(const std::string& text, std::string_view method,
                            const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args, BoundArguments::bind(method, arguments, {"sub"}));
    INHOUSE_ASSIGN_OR_RETURN(const std::string* sub, required_string(args.find("sub"), method));
    if (method == "count") {
        return Value::integer(python_count(text, *sub));
    }
    bool from_end = method == "rfind" || method == "rindex";
    std::int64_t position = python_find(text, *sub, from_end);
    if (position < 0 && (method == "index" || method == "rindex")) {
        return type_error("substring not found");
    }
    return Value::integer(position);
}

Result<Value> join_method(RenderContext& context, const std::string& separator,
                          const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("join", arguments, {"iterable"}));
    const Value* iterable = args.find("iterable");
    if (iterable == nullptr) {
        return type_error("join() takes exactly one argument (0 given)");
    }
    std::vector<Value> items;
    if (iterable->is_list()) {
        items = iterable->as_list().items;
    } else if (iterable->is_string()) {
        items = {*iterable};
    } else if (!iterable->is_dict()) {
        return type_error("can only join an iterable");
    }
    std::string out;
    for (std::size_t index = 0; index < items.size(); ++index) {
        if (!items[index].is_string()) {
            return type_error(fmt::format("sequence item {}: expected str instance, {} found",
                                          index, type_name(items[index])));
        }
        out += index > 0 ? separator : "";
        out += items[index].as_string();
        INHOUSE_RETURN_IF_ERROR(context.charge_string(out.size()));
    }
    return Value::string(std::move(out));
}

Result<Value> predicate_method(const std::string& text, std::string_view method) {
    if (method == "isdigit" || method == "isdecimal" || method == "isnumeric") {
        return Value::boolean(all_code_points(text, unicode::is_digit));
    }
    if (method == "isalpha") {
        return Value::boolean(all_code_points(text, unicode::is_alpha));
    }
    if (method == "isalnum") {
        return Value::boolean(all_code_points(
            text, [](char32_t c) { return unicode::is_alpha(c) || unicode::is_digit(c); }));
    }
    if (method == "isspace") {
        return Value::boolean(all_code_points(text, unicode::is_space));
    }
    if (method == "isascii") {
        return Value::boolean(unicode::is_ascii(text));
    }
    std::u32string code_points = unicode::decode(text);
    bool has_cased = std::any_of(code_points.begin(), code_points.end(), unicode::is_cased);
    if (method == "isupper") {
        return Value::boolean(has_cased && unicode::upper(text) == text);
    }
    if (method == "islower") {
        return Value::boolean(has_cased && unicode::lower(text) == text);
    }
    if (method == "istitle") {
        return Value::boolean(has_cased && unicode::title(text) == text);
    }
    return type_error(fmt::format("str.{}() is not supported in templates", method));
}

Result<Value> replace_method(RenderContext& context, const std::string& text,
                             const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("replace", arguments, {"old", "new", "count"}));
    INHOUSE_ASSIGN_OR_RETURN(const std::string* old, required_string(args.find("old"), "replace"));
    INHOUSE_ASSIGN_OR_RETURN(const std::string* replacement,
                             required_string(args.find("new"), "replace"));
    INHOUSE_ASSIGN_OR_RETURN(std::int64_t count, integer_argument(args.find("count"), -1));
    std::string result = python_replace(text, *old, *replacement, count);
    INHOUSE_RETURN_IF_ERROR(context.charge_string(result.size()));
    return Value::string(std::move(result));
}

Result<Value> remove_affix_method(const std::string& text, std::string_view method,
                                  const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind(method, arguments, {"affix"}));
    INHOUSE_ASSIGN_OR_RETURN(const std::string* affix, required_string(args.find("affix"), method));
    std::string_view view(text);
    if (method == "removeprefix" && view.starts_with(*affix)) {
        view.remove_prefix(affix->size());
    } else if (method == "removesuffix" && view.ends_with(*affix) && !affix->empty()) {
        view.remove_suffix(affix->size());
    }
    return Value::string(std::string(view));
}

Result<Value> pad_method(RenderContext& context, const std::string& text, std::string_view method,
                         const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind(method, arguments, {"width", "fillchar"}));
    INHOUSE_ASSIGN_OR_RETURN(std::int64_t width, integer_argument(args.find("width"), 0));
    INHOUSE_RETURN_IF_ERROR(context.charge_string(width > 0 ? static_cast<std::size_t>(width) : 0));
    return pad(text, method, args);
}

// The methods without arguments that map case, or nullopt for other names.
std::optional<Value> case_method(const std::string& text, std::string_view method) {
    if (method == "upper") {
        return Value::string(unicode::upper(text));
    }
    if (method == "lower" || method == "casefold") {
        return Value::string(unicode::lower(text));
    }
    if (method == "title") {
        return Value::string(unicode::title(text));
    }
    if (method == "capitalize") {
        return Value::string(unicode::capitalize(text));
    }
    if (method == "swapcase") {
        std::string out;
        for (char32_t code_point : unicode::decode(text)) {
            unicode::append_utf8(unicode::is_upper(code_point) ? unicode::to_lower(code_point)
                                                               : unicode::to_upper(code_point),
                                 out);
        }
        return Value::string(std::move(out));
    }
    return std::nullopt;
}

Result<Value> strip_method(const std::string& text, std::string_view method,
                           const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind(method, arguments, {"chars"}));
    INHOUSE_ASSIGN_OR_RETURN(const std::string* chars, optional_string(args.find("chars"), method));
    return Value::string(unicode::strip(text, chars, method != "rstrip", method != "lstrip"));
}

Result<Value> affix_test_method(const std::string& text, std::string_view method,
                                const CallValues& arguments) {
    if (arguments.positional.size() != 1 || !arguments.keyword.empty()) {
        return type_error(fmt::format("{}() takes exactly one argument in templates", method));
    }
    INHOUSE_ASSIGN_OR_RETURN(bool matches,
                             matches_affix(text, arguments.positional[0], method == "startswith"));
    return Value::boolean(matches);
}

}  // namespace

Result<Value> call_string_method(RenderContext& context, const std::string& text,
                                 std::string_view method, const CallValues& arguments) {
    INHOUSE_RETURN_IF_ERROR(context.charge_string(text.size()));
    if (method == "strip" || method == "lstrip" || method == "rstrip") {
        return strip_method(text, method, arguments);
    }
    if (method == "split" || method == "rsplit") {
        return split_method(text, method, arguments);
    }
    if (method == "partition" || method == "rpartition") {
        return partition_method(text, method, arguments);
    }
    if (method == "count" || method == "find" || method == "rfind" || method == "index" ||
        method == "rindex") {
        return search_method(text, method, arguments);
    }
    if (method == "join") {
        return join_method(context, text, arguments);
    }
    if (method == "splitlines") {
        INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                                 BoundArguments::bind(method, arguments, {"keepends"}));
        Value keep_ends = args.get_or("keepends", Value::boolean(false));
        return string_list(python_splitlines(text, is_truthy(keep_ends)));
    }
    if (method == "startswith" || method == "endswith") {
        return affix_test_method(text, method, arguments);
    }
    if (method == "replace") {
        return replace_method(context, text, arguments);
    }
    if (method == "removeprefix" || method == "removesuffix") {
        return remove_affix_method(text, method, arguments);
    }
    if (method == "center" || method == "ljust" || method == "rjust" || method == "zfill") {
        return pad_method(context, text, method, arguments);
    }
    if (arguments.positional.empty() && arguments.keyword.empty()) {
        if (std::optional<Value> mapped = case_method(text, method)) {
            return std::move(*mapped);
        }
        if (method.starts_with("is")) {
            return predicate_method(text, method);
        }
    }
    return type_error(fmt::format("str.{}() is not supported in templates", method));
}

}  // namespace inhouse::chat::jinja
