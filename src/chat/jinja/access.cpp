#include "chat/jinja/access.h"

#include <algorithm>

#include "chat/jinja/methods.h"
#include "chat/jinja/python_ops.h"
#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

Error undefined_error(const Value& undefined) {
    const std::string& hint = undefined.undefined_hint();
    return make_error(ErrorCode::InvalidFormat, "{}", hint.empty() ? "value is undefined" : hint);
}

Value missing_attribute(const Value& object, std::string_view name) {
    return Value::undefined(
        fmt::format("'{}' has no attribute {}", object_description(object), repr_string(name)));
}

Value unsafe_attribute(const Value& object, std::string_view name) {
    return Value::undefined(fmt::format("access to attribute {} of '{}' object is unsafe.",
                                        repr_string(name), type_name(object)));
}

// Python's slice.indices(): clamps start and stop into [0, length] for the step's direction.
struct SliceBounds {
    std::int64_t start;
    std::int64_t stop;
    std::int64_t step;
};

Result<std::optional<std::int64_t>> slice_bound(const Value& bound) {
    if (bound.is_none() || bound.is_undefined()) {
        return std::optional<std::int64_t>();
    }
    if (bound.is_int()) {
        return std::optional<std::int64_t>(bound.as_int());
    }
    if (bound.is_bool()) {
        return std::optional<std::int64_t>(bound.as_bool() ? 1 : 0);
    }
    return make_error(ErrorCode::InvalidFormat,
                      "slice indices must be integers or None or have an __index__ method");
}

Result<SliceBounds> resolve_slice(std::int64_t length, const Value& start_value,
                                  const Value& stop_value, const Value& step_value) {
    INHOUSE_ASSIGN_OR_RETURN(std::optional<std::int64_t> start, slice_bound(start_value));
    INHOUSE_ASSIGN_OR_RETURN(std::optional<std::int64_t> stop, slice_bound(stop_value));
    INHOUSE_ASSIGN_OR_RETURN(std::optional<std::int64_t> step, slice_bound(step_value));
    std::int64_t stride = step.value_or(1);
    if (stride == 0) {
        return make_error(ErrorCode::InvalidFormat, "slice step cannot be zero");
    }
    auto clamp = [&](std::optional<std::int64_t> bound, std::int64_t fallback) {
        if (!bound) {
            return fallback;
        }
        std::int64_t index = *bound;
        if (index < 0) {
            index = index < -length ? (stride < 0 ? -1 : 0) : index + length;
        } else if (index >= length) {
            index = stride < 0 ? length - 1 : length;
        }
        return index;
    };
    return SliceBounds{clamp(start, stride < 0 ? length - 1 : 0),
                       clamp(stop, stride < 0 ? -1 : length), stride};
}

std::vector<std::size_t> slice_positions(const SliceBounds& bounds) {
    std::vector<std::size_t> positions;
    if (bounds.step > 0) {
        for (std::int64_t index = bounds.start; index < bounds.stop; index += bounds.step) {
            positions.push_back(static_cast<std::size_t>(index));
        }
    } else {
        for (std::int64_t index = bounds.start; index > bounds.stop; index += bounds.step) {
            positions.push_back(static_cast<std::size_t>(index));
        }
    }
    return positions;
}

std::optional<std::int64_t> integer_index(const Value& key) {
    if (key.is_int()) {
        return key.as_int();
    }
    if (key.is_bool()) {
        return key.as_bool() ? 1 : 0;
    }
    return std::nullopt;
}

}  // namespace

Result<Value> get_attribute(const Value& object, std::string_view name) {
    if (object.is_undefined()) {
        return undefined_error(object);
    }
    if (!name.empty() && name.front() == '_') {
        if (object.is_dict() && name.substr(0, 2) != "__") {
            std::optional<Value> item =
                dict_find(object.as_dict(), Value::string(std::string(name)));
            return item ? *item : missing_attribute(object, name);
        }
        return unsafe_attribute(object, name);
    }
    switch (object.kind()) {
        case ValueKind::String:
        case ValueKind::List:
        case ValueKind::Dict: {
            MethodLookup method = find_method(object, name);
            if (method == MethodLookup::Allowed) {
                return bind_method(object, name);
            }
            if (method == MethodLookup::Mutating) {
                return unsafe_attribute(object, name);
            }
            if (object.is_dict()) {
                std::optional<Value> item =
                    dict_find(object.as_dict(), Value::string(std::string(name)));
                if (item) {
                    return *item;
                }
            }
            return missing_attribute(object, name);
        }
        case ValueKind::Namespace:
            for (const auto& [attribute, item] : object.as_namespace().attributes) {
                if (attribute == name) {
                    return item;
                }
            }
            return missing_attribute(object, name);
        case ValueKind::Object:
            if (const auto* holder = dynamic_cast<const AttributeHolder*>(&object.as_object())) {
                Value attribute = holder->attribute(name);
                if (!attribute.is_undefined() || !attribute.undefined_hint().empty()) {
                    return attribute;
                }
            }
            return missing_attribute(object, name);
        default: return missing_attribute(object, name);
    }
}

Result<Value> get_item(RenderContext& context, const Value& object, const Value& key) {
    if (object.is_undefined()) {
        return undefined_error(object);
    }
    if (object.is_list() || object.is_string()) {
        if (std::optional<std::int64_t> index = integer_index(key)) {
            std::vector<Value> characters;
            if (object.is_string()) {
                INHOUSE_RETURN_IF_ERROR(context.charge_string(object.as_string().size()));
                characters = string_characters(object.as_string());
            }
            const std::vector<Value>& items =
                object.is_list() ? object.as_list().items : characters;
            auto length = static_cast<std::int64_t>(items.size());
            std::int64_t position = *index < 0 ? *index + length : *index;
            if (position >= 0 && position < length) {
                return items[static_cast<std::size_t>(position)];
            }
            return Value::undefined(
                fmt::format("{} has no element {}", object_description(object), *index));
        }
    } else if (object.is_dict() && is_hashable(key)) {
        if (std::optional<Value> item = dict_find(object.as_dict(), key)) {
            return *item;
        }
    }
    // jinja2 falls back to the attribute of that name when the item lookup fails.
    if (key.is_string()) {
        return get_attribute(object, key.as_string());
    }
    return Value::undefined(
        fmt::format("{} has no element {}", object_description(object), to_repr(key)));
}

Result<Value> get_slice(RenderContext& context, const Value& object, const Value& start,
                        const Value& stop, const Value& step) {
    if (object.is_undefined()) {
        return undefined_error(object);
    }
    if (object.is_string()) {
        const std::string& text = object.as_string();
        std::u32string code_points = unicode::decode(text);
        INHOUSE_ASSIGN_OR_RETURN(
            SliceBounds bounds,
            resolve_slice(static_cast<std::int64_t>(code_points.size()), start, stop, step));
        std::u32string sliced;
        for (std::size_t position : slice_positions(bounds)) {
            sliced.push_back(code_points[position]);
        }
        std::string result = unicode::encode(sliced);
        INHOUSE_RETURN_IF_ERROR(context.charge_string(result.size()));
        return Value::string(std::move(result));
    }
    if (object.is_list()) {
        const ListData& list = object.as_list();
        INHOUSE_ASSIGN_OR_RETURN(
            SliceBounds bounds,
            resolve_slice(static_cast<std::int64_t>(list.items.size()), start, stop, step));
        std::vector<Value> items;
        for (std::size_t position : slice_positions(bounds)) {
            items.push_back(list.items[position]);
        }
        INHOUSE_RETURN_IF_ERROR(context.charge_list(items.size()));
        return list.is_tuple ? Value::tuple(std::move(items)) : Value::list(std::move(items));
    }
    // jinja2 compiles slices to a plain Python subscript, outside the sandbox's getitem, so
    // anything else fails as Python does.
    if (object.is_dict()) {
        return make_error(ErrorCode::InvalidFormat, "unhashable type: 'slice'");
    }
    return make_error(ErrorCode::InvalidFormat, "'{}' object is not subscriptable",
                      type_name(object));
}

Result<std::vector<Value>> iterate(const Value& value) {
    switch (value.kind()) {
        case ValueKind::Undefined: return std::vector<Value>();
        case ValueKind::List: return value.as_list().items;
        case ValueKind::Dict: {
            std::vector<Value> keys;
            keys.reserve(value.as_dict().entries.size());
            for (const auto& [key, item] : value.as_dict().entries) {
                keys.push_back(key);
            }
            return keys;
        }
        case ValueKind::String: return string_characters(value.as_string());
        default:
            return make_error(ErrorCode::InvalidFormat, "'{}' object is not iterable",
                              type_name(value));
    }
}

Result<std::int64_t> python_length(const Value& value) {
    switch (value.kind()) {
        case ValueKind::Undefined: return std::int64_t{0};
        case ValueKind::String:
            return static_cast<std::int64_t>(unicode::count_code_points(value.as_string()));
        case ValueKind::List: return static_cast<std::int64_t>(value.as_list().items.size());
        case ValueKind::Dict: return static_cast<std::int64_t>(value.as_dict().entries.size());
        default:
            return make_error(ErrorCode::InvalidFormat, "object of type '{}' has no len()",
                              type_name(value));
    }
}

std::vector<Value> string_characters(const std::string& text) {
    std::vector<Value> characters;
    characters.reserve(text.size());
    std::string character;
    for (char32_t code_point : unicode::decode(text)) {
        character.clear();
        unicode::append_utf8(code_point, character);
        characters.push_back(Value::string(character));
    }
    return characters;
}

}  // namespace inhouse::chat::jinja
