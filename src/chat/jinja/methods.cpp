#include "chat/jinja/methods.h"

#include <algorithm>

#include "chat/jinja/python_ops.h"
#include "chat/jinja/render_context.h"

namespace inhouse::chat::jinja {

namespace {

constexpr std::string_view kStringMethods[] = {
    "capitalize",   "casefold",    "center",    "count",      "encode",       "endswith",
    "expandtabs",   "find",        "format",    "format_map", "index",        "isalnum",
    "isalpha",      "isascii",     "isdecimal", "isdigit",    "isidentifier", "islower",
    "isnumeric",    "isprintable", "isspace",   "istitle",    "isupper",      "join",
    "ljust",        "lower",       "lstrip",    "maketrans",  "partition",    "removeprefix",
    "removesuffix", "replace",     "rfind",     "rindex",     "rjust",        "rpartition",
    "rsplit",       "rstrip",      "split",     "splitlines", "startswith",   "strip",
    "swapcase",     "title",       "translate", "upper",      "zfill",
};
constexpr std::string_view kListMethods[] = {"copy", "count", "index"};
constexpr std::string_view kListMutating[] = {"append", "clear",  "extend",  "insert",
                                              "pop",    "remove", "reverse", "sort"};
constexpr std::string_view kDictMethods[] = {"copy", "fromkeys", "get", "items", "keys", "values"};
constexpr std::string_view kDictMutating[] = {"clear", "pop", "popitem", "setdefault", "update"};

template <std::size_t N>
bool contains(const std::string_view (&names)[N], std::string_view name) {
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

Error type_error(std::string message) {
    return Error(ErrorCode::InvalidFormat, std::move(message));
}

Result<Value> call_list_method(const Value& receiver, std::string_view method,
                               const CallValues& arguments) {
    const std::vector<Value>& items = receiver.as_list().items;
    if (method == "copy") {
        if (!arguments.positional.empty() || !arguments.keyword.empty()) {
            return type_error("list.copy() takes no arguments");
        }
        return receiver;
    }
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind(method, arguments, {"value"}));
    const Value* needle = args.find("value");
    if (needle == nullptr) {
        return type_error(fmt::format("{}() takes exactly one argument (0 given)", method));
    }
    std::int64_t n_found = 0;
    for (std::size_t index = 0; index < items.size(); ++index) {
        if (python_equals(items[index], *needle)) {
            if (method == "index") {
                return Value::integer(static_cast<std::int64_t>(index));
            }
            ++n_found;
        }
    }
    if (method == "index") {
        return type_error(fmt::format("{} is not in {}", to_repr(*needle), type_name(receiver)));
    }
    return Value::integer(n_found);
}

Result<Value> call_dict_method(const Value& receiver, std::string_view method,
                               const CallValues& arguments) {
    const DictData& dict = receiver.as_dict();
    if (method == "get") {
        INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                                 BoundArguments::bind(method, arguments, {"key", "default"}));
        const Value* key = args.find("key");
        if (key == nullptr) {
            return type_error("get expected at least 1 argument, got 0");
        }
        if (!is_hashable(*key)) {
            return type_error(fmt::format("unhashable type: '{}'", type_name(*key)));
        }
        std::optional<Value> item = dict_find(dict, *key);
        return item ? *item : args.get_or("default", Value::none());
    }
    if (!arguments.positional.empty() || !arguments.keyword.empty()) {
        return type_error(fmt::format("dict.{}() takes no arguments", method));
    }
    if (method == "copy") {
        return receiver;
    }
    std::vector<Value> items;
    items.reserve(dict.entries.size());
    for (const auto& [key, item] : dict.entries) {
        if (method == "keys") {
            items.push_back(key);
        } else if (method == "values") {
            items.push_back(item);
        } else {
            items.push_back(Value::tuple({key, item}));
        }
    }
    if (method == "fromkeys") {
        return type_error("dict.fromkeys() is not supported in templates");
    }
    return Value::list(std::move(items));
}

class BoundMethod : public Callable {
public:
    BoundMethod(Value receiver, std::string name)
        : receiver_(std::move(receiver)), name_(std::move(name)) {}

    std::string type_name() const override { return "builtin_function_or_method"; }
    std::string repr() const override {
        return fmt::format("<built-in method {} of {} object>", name_, jinja::type_name(receiver_));
    }

    Result<Value> call(RenderContext& context, const CallValues& arguments) const override {
        INHOUSE_RETURN_IF_ERROR(context.charge_steps(1));
        if (receiver_.is_string()) {
            return call_string_method(context, receiver_.as_string(), name_, arguments);
        }
        if (receiver_.is_list()) {
            return call_list_method(receiver_, name_, arguments);
        }
        return call_dict_method(receiver_, name_, arguments);
    }

private:
    Value receiver_;
    std::string name_;
};

}  // namespace

MethodLookup find_method(const Value& receiver, std::string_view name) {
    if (receiver.is_string()) {
        return contains(kStringMethods, name) ? MethodLookup::Allowed : MethodLookup::NotAMethod;
    }
    if (receiver.is_list()) {
        if (contains(kListMethods, name) && !(receiver.is_tuple() && name == "copy")) {
            return MethodLookup::Allowed;
        }
        return !receiver.is_tuple() && contains(kListMutating, name) ? MethodLookup::Mutating
                                                                     : MethodLookup::NotAMethod;
    }
    if (receiver.is_dict()) {
        if (contains(kDictMethods, name)) {
            return MethodLookup::Allowed;
        }
        return contains(kDictMutating, name) ? MethodLookup::Mutating : MethodLookup::NotAMethod;
    }
    return MethodLookup::NotAMethod;
}

Value bind_method(const Value& receiver, std::string_view name) {
    return Value::object(std::make_shared<BoundMethod>(receiver, std::string(name)));
}

}  // namespace inhouse::chat::jinja
