#include "chat/jinja/builtins.h"

#include <algorithm>
#include <ctime>

#include "chat/jinja/access.h"
#include "chat/jinja/python_ops.h"

namespace inhouse::chat::jinja {

namespace {

enum class Builtin { Range, Dict, Namespace, RaiseException, StrftimeNow };

Result<std::int64_t> range_argument(const Value& value) {
    if (value.is_int()) {
        return value.as_int();
    }
    if (value.is_bool()) {
        return std::int64_t{value.as_bool() ? 1 : 0};
    }
    return make_error(ErrorCode::InvalidFormat, "'{}' object cannot be interpreted as an integer",
                      type_name(value));
}

Result<Value> call_range(RenderContext& context, const CallValues& arguments) {
    const auto& values = arguments.positional;
    if (!arguments.keyword.empty()) {
        return make_error(ErrorCode::InvalidFormat, "range() takes no keyword arguments");
    }
    if (values.empty() || values.size() > 3) {
        return make_error(ErrorCode::InvalidFormat, "range expected 1 to 3 arguments, got {}",
                          values.size());
    }
    std::int64_t start = 0;
    std::int64_t step = 1;
    std::int64_t stop = 0;
    if (values.size() == 1) {
        INHOUSE_ASSIGN_OR_RETURN(stop, range_argument(values[0]));
    } else {
        INHOUSE_ASSIGN_OR_RETURN(start, range_argument(values[0]));
        INHOUSE_ASSIGN_OR_RETURN(stop, range_argument(values[1]));
        if (values.size() == 3) {
            INHOUSE_ASSIGN_OR_RETURN(step, range_argument(values[2]));
        }
    }
    if (step == 0) {
        return make_error(ErrorCode::InvalidFormat, "range() arg 3 must not be zero");
    }
    // Count without overflow: the span can exceed int64 when start and stop are extreme.
    auto span = step > 0 ? static_cast<long double>(stop) - static_cast<long double>(start)
                         : static_cast<long double>(start) - static_cast<long double>(stop);
    long double step_size =
        step > 0 ? static_cast<long double>(step) : -static_cast<long double>(step);
    long double n_items = span <= 0 ? 0 : (span + step_size - 1) / step_size;
    if (n_items > static_cast<long double>(context.limits().max_list_items)) {
        return make_error(ErrorCode::Unsupported,
                          "Range too big. The sandbox blocks ranges larger than MAX_RANGE ({}).",
                          context.limits().max_list_items);
    }
    auto count = static_cast<std::size_t>(n_items);
    INHOUSE_RETURN_IF_ERROR(context.charge_list(count));
    std::vector<Value> items;
    items.reserve(count);
    for (std::size_t index = 0; index < count; ++index) {
        items.push_back(Value::integer(start + static_cast<std::int64_t>(index) * step));
    }
    return Value::list(std::move(items));
}

// dict(mapping_or_pairs, **kwargs), also the positional form of namespace().
Result<std::vector<std::pair<Value, Value>>> collect_entries(std::string_view function,
                                                             const CallValues& arguments) {
    if (arguments.positional.size() > 1) {
        return make_error(ErrorCode::InvalidFormat, "{} expected at most 1 argument, got {}",
                          function, arguments.positional.size());
    }
    std::vector<std::pair<Value, Value>> entries;
    if (!arguments.positional.empty()) {
        const Value& source = arguments.positional[0];
        if (source.is_dict()) {
            entries = source.as_dict().entries;
        } else {
            INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> pairs, iterate(source));
            for (const Value& pair : pairs) {
                INHOUSE_ASSIGN_OR_RETURN(std::vector<Value> parts, iterate(pair));
                if (parts.size() != 2 || pair.is_undefined()) {
                    return make_error(ErrorCode::InvalidFormat,
                                      "dictionary update sequence element has length {}; 2 is "
                                      "required",
                                      parts.size());
                }
                entries.emplace_back(parts[0], parts[1]);
            }
        }
    }
    for (const auto& [name, value] : arguments.keyword) {
        entries.emplace_back(Value::string(name), value);
    }
    return entries;
}

Result<Value> call_namespace(RenderContext& context, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(auto entries, collect_entries("namespace", arguments));
    Value result = Value::new_namespace();
    NamespaceData& data = result.as_namespace();
    for (auto& entry : entries) {
        if (!entry.first.is_string()) {
            return make_error(ErrorCode::InvalidFormat, "namespace attribute names must be str");
        }
        const std::string& name = entry.first.as_string();
        auto existing =
            std::find_if(data.attributes.begin(), data.attributes.end(),
                         [&](const auto& attribute) { return attribute.first == name; });
        if (existing != data.attributes.end()) {
            existing->second = std::move(entry.second);
        } else {
            data.attributes.emplace_back(name, std::move(entry.second));
        }
    }
    context.track_namespace(result.namespace_ptr());
    return result;
}

Result<Value> call_strftime_now(RenderContext& context, const CallValues& arguments) {
    INHOUSE_ASSIGN_OR_RETURN(BoundArguments args,
                             BoundArguments::bind("strftime_now", arguments, {"format"}));
    const Value* format = args.find("format");
    if (format == nullptr || !format->is_string()) {
        return make_error(ErrorCode::InvalidFormat, "strftime_now() needs a format string");
    }
    constexpr std::size_t kMaxFormatBytes = 256;
    if (format->as_string().size() > kMaxFormatBytes ||
        format->as_string().find('\0') != std::string::npos) {
        return make_error(ErrorCode::InvalidFormat, "strftime_now() format is too long");
    }
    // No conversion expands to more than 64 bytes, so this buffer always suffices.
    std::vector<char> buffer(format->as_string().size() * 64 + 64);
    std::size_t n_bytes =
        std::strftime(buffer.data(), buffer.size(), format->as_string().c_str(), &context.now());
    return Value::string(std::string(buffer.data(), n_bytes));
}

class BuiltinFunction final : public Callable {
public:
    BuiltinFunction(Builtin kind, std::string name) : kind_(kind), name_(std::move(name)) {}

    std::string type_name() const override { return "function"; }
    std::string repr() const override { return fmt::format("<function {}>", name_); }

    Result<Value> call(RenderContext& context, const CallValues& arguments) const override {
        INHOUSE_RETURN_IF_ERROR(context.charge_steps(1));
        switch (kind_) {
            case Builtin::Range: return call_range(context, arguments);
            case Builtin::Dict: {
                INHOUSE_ASSIGN_OR_RETURN(auto entries, collect_entries("dict", arguments));
                return make_dict(std::move(entries));
            }
            case Builtin::Namespace: return call_namespace(context, arguments);
            case Builtin::RaiseException: {
                // transformers' raise_exception(message): the template rejects the request.
                Value message =
                    arguments.positional.empty() ? Value::string("") : arguments.positional[0];
                return Error(ErrorCode::InvalidArgument, to_str(message));
            }
            case Builtin::StrftimeNow: return call_strftime_now(context, arguments);
        }
        return make_error(ErrorCode::Internal, "unknown built-in function");
    }

private:
    Builtin kind_;
    std::string name_;
};

Value builtin(Builtin kind, std::string name) {
    return Value::object(std::make_shared<BuiltinFunction>(kind, std::move(name)));
}

}  // namespace

std::vector<std::pair<std::string, Value>> builtin_globals() {
    return {
        {"range", builtin(Builtin::Range, "range")},
        {"dict", builtin(Builtin::Dict, "dict")},
        {"namespace", builtin(Builtin::Namespace, "namespace")},
        {"raise_exception", builtin(Builtin::RaiseException, "raise_exception")},
        {"strftime_now", builtin(Builtin::StrftimeNow, "strftime_now")},
    };
}

}  // namespace inhouse::chat::jinja
