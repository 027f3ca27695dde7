// Filters over lists, tuples, dicts and strings: length, first, last, join, sort, map,
// select/reject and friends, with jinja2's argument handling and results.
#include <algorithm>

#include "chat/jinja/access.h"
#include "chat/jinja/filters.h"
#include "chat/jinja/operators.h"
#include "chat/jinja/python_ops.h"
#include "chat/jinja/string_ops.h"
#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja::filters {

namespace {

Error filter_error(std::string message) {
    return Error(ErrorCode::InvalidFormat, std::move(message));
}

Result<std::vector<Value>> items_of(RenderContext& context, const Value& input) {
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, iterate(input));
    INHOUSE_RETURN_IF_ERROR(context.charge_list(items.size()));
    return items;
}

// jinja2's make_attrgetter: "a.b.0" looks up a, then b, then index 0, each as obj[part].
Result<Value> get_attribute_path(RenderContext& context, const Value& item, const Value& path,
                                 const Value* fallback) {
    Value current = item;
    std::vector<Value> parts;
    if (path.is_string()) {
        static const std::string kDot = ".";
        for (std::string& part : python_split(path.as_string(), &kDot, -1)) {
            bool is_index = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
                return c >= '0' && c <= '9';
            });
            std::optional<std::int64_t> index = is_index ? parse_python_int(part) : std::nullopt;
            parts.push_back(index ? Value::integer(*index) : Value::string(std::move(part)));
        }
    } else if (!path.is_none()) {
        parts.push_back(path);
    }
    for (const Value& part : parts) {
        INHOUSE_ASSIGN_OR_RETURN(current, get_item(context, current, part));
        if (fallback != nullptr && current.is_undefined()) {
            current = *fallback;
        }
    }
    return current;
}

// Python's case-insensitive sort key for strings (jinja2's ignore_case).
Value sort_key(const Value& value, bool case_sensitive) {
    if (!case_sensitive && value.is_string()) {
        return Value::string(unicode::lower(value.as_string()));
    }
    return value;
}

Result<Value> aggregate(RenderContext& context, const Value& input, const CallValues& arguments,
                        bool want_max) {
    INHOUSE_ASSIGN_OR_RETURN(
        BoundArguments args,
        BoundArguments::bind(want_max ? "max" : "min", arguments, {"case_sensitive", "attribute"}));
    bool case_sensitive = is_truthy(args.get_or("case_sensitive", Value::boolean(false)));
    Value attribute = args.get_or("attribute", Value::none());
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    if (items.empty()) {
        return Value::undefined("No aggregated item, sequence was empty.");
    }
    std::vector<Value> keys;
    for (const Value& item : items) {
        INHOUSE_ASSIGN_OR_RETURN(Value key, get_attribute_path(context, item, attribute, nullptr));
        keys.push_back(sort_key(key, case_sensitive));
    }
    std::size_t best = 0;
    for (std::size_t index = 1; index < items.size(); ++index) {
        INHOUSE_ASSIGN_OR_RETURN(bool better, want_max ? python_less(keys[best], keys[index])
                                                       : python_less(keys[index], keys[best]));
        if (better) {
            best = index;
        }
    }
    return items[best];
}

// select/reject and selectattr/rejectattr share this: keep items whose (attribute) value
// passes the named test, or is truthy when no test is named.
Result<Value> select_or_reject(RenderContext& context, const Value& input,
                               const CallValues& arguments, bool keep_passing, bool by_attribute) {
    CallValues test_arguments = arguments;
    Value attribute = Value::none();
    auto& positional = test_arguments.positional;
    if (by_attribute) {
        if (positional.empty()) {
            return filter_error("Missing parameter for attribute name");
        }
        attribute = positional.front();
        positional.erase(positional.begin());
    }
    std::optional<std::string> test_name;
    if (!positional.empty()) {
        if (!positional.front().is_string()) {
            return filter_error("test name must be a string");
        }
        test_name = positional.front().as_string();
        positional.erase(positional.begin());
    }
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    std::vector<Value> kept;
    for (const Value& item : items) {
        Value subject = item;
        if (by_attribute) {
            INHOUSE_ASSIGN_OR_RETURN(subject,
                                     get_attribute_path(context, item, attribute, nullptr));
        }
        bool passed = false;
        if (test_name) {
            INHOUSE_ASSIGN_OR_RETURN(passed,
                                     context.apply_test(*test_name, subject, test_arguments));
        } else {
            passed = is_truthy(subject);
        }
        if (passed == keep_passing) {
            kept.push_back(item);
        }
    }
    return Value::list(std::move(kept));
}

}  // namespace

Result<Value> length(RenderContext&, const Value& input, const CallValues&) {
    INHOUSE_ASSIGN_OR_RETURN(std::int64_t n_items, python_length(input));
    return Value::integer(n_items);
}

Result<Value> first(RenderContext& context, const Value& input, const CallValues&) {
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    if (items.empty()) {
        return Value::undefined("No first item, sequence was empty.");
    }
    return items.front();
}

Result<Value> last(RenderContext& context, const Value& input, const CallValues&) {
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    if (items.empty()) {
        return Value::undefined("No last item, sequence was empty.");
    }
    return items.back();
}

Result<Value> list(RenderContext& context, const Value& input, const CallValues&) {
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    return Value::list(std::move(items));
}

Result<Value> join(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("join", arguments, {"d", "attribute"}));
    std::string separator = to_str(args.get_or("d", Value::string("")));
    Value attribute = args.get_or("attribute", Value::none());
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    std::string out;
    for (std::size_t index = 0; index < items.size(); ++index) {
        Value item = items[index];
        if (!attribute.is_none()) {
            INHOUSE_ASSIGN_OR_RETURN(item, get_attribute_path(context, item, attribute, nullptr));
        }
        out += index > 0 ? separator : "";
        out += to_str(item);
        INHOUSE_RETURN_IF_ERROR(context.charge_string(out.size()));
    }
    return Value::string(std::move(out));
}

Result<Value> reverse(RenderContext& context, const Value& input, const CallValues&) {
    if (input.is_string()) {
        std::u32string code_points = unicode::decode(input.as_string());
        std::reverse(code_points.begin(), code_points.end());
        return Value::string(unicode::encode(code_points));
    }
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    std::reverse(items.begin(), items.end());
    return Value::list(std::move(items));
}

Result<Value> sort(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(
        BoundArguments args,
        BoundArguments::bind("sort", arguments, {"reverse", "case_sensitive", "attribute"}));
    bool descending = is_truthy(args.get_or("reverse", Value::boolean(false)));
    bool case_sensitive = is_truthy(args.get_or("case_sensitive", Value::boolean(false)));
    Value attribute = args.get_or("attribute", Value::none());
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    std::vector<Value> keys;
    for (const Value& item : items) {
        INHOUSE_ASSIGN_OR_RETURN(Value key, get_attribute_path(context, item, attribute, nullptr));
        keys.push_back(sort_key(key, case_sensitive));
    }
    if (descending) {
        // Python's sorted(reverse=True) keeps equal items in their original order.
        std::reverse(items.begin(), items.end());
        std::reverse(keys.begin(), keys.end());
    }
    INHOUSE_ASSIGN_OR_RETURN(std::vector<std::size_t> order, sorted_order(keys));
    std::vector<Value> sorted;
    for (std::size_t index : order) {
        sorted.push_back(items[index]);
    }
    if (descending) {
        std::reverse(sorted.begin(), sorted.end());
    }
    return Value::list(std::move(sorted));
}

Result<Value> dictsort(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(
        BoundArguments args,
        BoundArguments::bind("dictsort", arguments, {"case_sensitive", "by", "reverse"}));
    if (!input.is_dict()) {
        return filter_error("dictsort filter requires a mapping");
    }
    bool case_sensitive = is_truthy(args.get_or("case_sensitive", Value::boolean(false)));
    Value by = args.get_or("by", Value::string("key"));
    if (!by.is_string() || (by.as_string() != "key" && by.as_string() != "value")) {
        return filter_error("You can only sort by either \"key\" or \"value\"");
    }
    CallValues sort_arguments;
    sort_arguments.keyword.emplace_back("reverse", args.get_or("reverse", Value::boolean(false)));
    sort_arguments.keyword.emplace_back("case_sensitive", Value::boolean(case_sensitive));
    sort_arguments.keyword.emplace_back("attribute",
                                        Value::integer(by.as_string() == "key" ? 0 : 1));
    INHOUSE_ASSIGN_OR_RETURN(Value pairs, items(context, input, CallValues{}));
    return sort(context, pairs, sort_arguments);
}

Result<Value> unique(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(
        BoundArguments args,
        BoundArguments::bind("unique", arguments, {"case_sensitive", "attribute"}));
    bool case_sensitive = is_truthy(args.get_or("case_sensitive", Value::boolean(false)));
    Value attribute = args.get_or("attribute", Value::none());
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    std::vector<Value> seen;
    std::vector<Value> kept;
    for (const Value& item : items) {
        INHOUSE_ASSIGN_OR_RETURN(Value key, get_attribute_path(context, item, attribute, nullptr));
        key = sort_key(key, case_sensitive);
        if (!is_hashable(key)) {
            return filter_error(fmt::format("unhashable type: '{}'", type_name(key)));
        }
        INHOUSE_RETURN_IF_ERROR(context.charge_steps(static_cast<std::int64_t>(seen.size())));
        if (std::none_of(seen.begin(), seen.end(),
                         [&](const Value& other) { return python_equals(other, key); })) {
            seen.push_back(key);
            kept.push_back(item);
        }
    }
    return Value::list(std::move(kept));
}

Result<Value> min(RenderContext& context, const Value& input, const CallValues& arguments) {
    return aggregate(context, input, arguments, false);
}

Result<Value> max(RenderContext& context, const Value& input, const CallValues& arguments) {
    return aggregate(context, input, arguments, true);
}

Result<Value> sum(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("sum", arguments, {"attribute", "start"}));
    Value attribute = args.get_or("attribute", Value::none());
    Value total = args.get_or("start", Value::integer(0));
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    for (const Value& item : items) {
        INHOUSE_ASSIGN_OR_RETURN(Value term, get_attribute_path(context, item, attribute, nullptr));
        INHOUSE_ASSIGN_OR_RETURN(total,
                                 binary_operation(context, BinaryOperator::Add, total, term));
    }
    return total;
}

Result<Value> map(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    std::vector<Value> mapped;
    mapped.reserve(items.size());
    if (arguments.positional.empty()) {
        // map(attribute="name", default=…)
        INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                                 BoundArguments::bind("map", arguments, {"attribute", "default"}));
        const Value* attribute = args.find("attribute");
        if (attribute == nullptr) {
            return filter_error("map requires a filter argument");
        }
        const Value* fallback = args.find("default");
        for (const Value& item : items) {
            INHOUSE_ASSIGN_OR_RETURN(Value value,
                                     get_attribute_path(context, item, *attribute, fallback));
            mapped.push_back(std::move(value));
        }
        return Value::list(std::move(mapped));
    }
    if (!arguments.positional.front().is_string()) {
        return filter_error("map filter name must be a string");
    }
    std::string filter_name = arguments.positional.front().as_string();
    CallValues filter_arguments = arguments;
    filter_arguments.positional.erase(filter_arguments.positional.begin());
    for (const Value& item : items) {
        INHOUSE_ASSIGN_OR_RETURN(Value value,
                                 context.apply_filter(filter_name, item, filter_arguments));
        mapped.push_back(std::move(value));
    }
    return Value::list(std::move(mapped));
}

Result<Value> select(RenderContext& context, const Value& input, const CallValues& arguments) {
    return select_or_reject(context, input, arguments, true, false);
}

Result<Value> reject(RenderContext& context, const Value& input, const CallValues& arguments) {
    return select_or_reject(context, input, arguments, false, false);
}

Result<Value> selectattr(RenderContext& context, const Value& input, const CallValues& arguments) {
    return select_or_reject(context, input, arguments, true, true);
}

Result<Value> rejectattr(RenderContext& context, const Value& input, const CallValues& arguments) {
    return select_or_reject(context, input, arguments, false, true);
}

Result<Value> items(RenderContext& context, const Value& input, const CallValues&) {
    if (input.is_undefined()) {
        return Value::list({});
    }
    if (!input.is_dict()) {
        return filter_error("Can only get item pairs from a mapping.");
    }
    INHOUSE_RETURN_IF_ERROR(context.charge_list(input.as_dict().entries.size()));
    std::vector<Value> pairs;
    for (const auto& [key, value] : input.as_dict().entries) {
        pairs.push_back(Value::tuple({key, value}));
    }
    return Value::list(std::move(pairs));
}

Result<Value> batch(RenderContext& context, const Value& input, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("batch", arguments, {"linecount", "fill_with"}));
    Value size = args.get_or("linecount", Value::none());
    if (!size.is_int() || size.as_int() <= 0) {
        return filter_error("batch linecount must be a positive integer");
    }
    const Value* fill = args.find("fill_with");
    INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> items, items_of(context, input));
    if (fill != nullptr && !fill->is_none()) {
        INHOUSE_RETURN_IF_ERROR(context.charge_list(
            static_cast<std::size_t>(std::min<std::int64_t>(size.as_int(), INT32_MAX))));
    }
    std::vector<Value> batches;
    auto batch_size = static_cast<std::size_t>(size.as_int());
    for (std::size_t begin = 0; begin < items.size(); begin += batch_size) {
        std::vector<Value> group(items.begin() + static_cast<std::ptrdiff_t>(begin),
                                 items.begin() + static_cast<std::ptrdiff_t>(
                                                     std::min(items.size(), begin + batch_size)));
        while (fill != nullptr && !fill->is_none() && group.size() < batch_size) {
            group.push_back(*fill);
        }
        batches.push_back(Value::list(std::move(group)));
    }
    return Value::list(std::move(batches));
}

}  // namespace inhouse::chat::jinja::filters
