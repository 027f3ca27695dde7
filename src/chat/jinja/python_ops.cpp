#include "chat/jinja/python_ops.h"

#include <algorithm>
#include <cmath>

#include "chat/jinja/unicode.h"

namespace inhouse::chat::jinja {

namespace {

// Namespaces may hold themselves; printing stops descending here, as Python's reprlib does.
constexpr int kMaxReprDepth = kMaxValueNesting + 8;

std::string repr_at_depth(const Value& value, int depth);

std::string repr_items(const std::vector<Value>& items, int depth) {
    std::string out;
    for (std::size_t index = 0; index < items.size(); ++index) {
        if (index > 0) {
            out += ", ";
        }
        out += repr_at_depth(items[index], depth + 1);
    }
    return out;
}

std::string repr_at_depth(const Value& value, int depth) {
    if (depth > kMaxReprDepth) {
        return "...";
    }
    switch (value.kind()) {
        case ValueKind::Undefined: return "Undefined";
        case ValueKind::String: return repr_string(value.as_string());
        case ValueKind::List: {
            const ListData& list = value.as_list();
            std::string out(1, list.is_tuple ? '(' : '[');
            out.append(repr_items(list.items, depth));
            out.append(!list.is_tuple ? "]" : (list.items.size() == 1 ? ",)" : ")"));
            return out;
        }
        case ValueKind::Dict: {
            std::string out = "{";
            bool first = true;
            for (const auto& [key, item] : value.as_dict().entries) {
                out.append(first ? "" : ", ");
                first = false;
                out.append(repr_at_depth(key, depth + 1));
                out.append(": ");
                out.append(repr_at_depth(item, depth + 1));
            }
            out.push_back('}');
            return out;
        }
        case ValueKind::Namespace: {
            std::string out = "<Namespace {";
            bool first = true;
            for (const auto& [name, item] : value.as_namespace().attributes) {
                out.append(first ? "" : ", ");
                first = false;
                out.append(repr_string(name));
                out.append(": ");
                out.append(repr_at_depth(item, depth + 1));
            }
            out.append("}>");
            return out;
        }
        default: return to_str(value);
    }
}

bool sequences_equal(const std::vector<Value>& left, const std::vector<Value>& right) {
    if (left.size() != right.size()) {
        return false;
    }
    for (std::size_t index = 0; index < left.size(); ++index) {
        if (!python_equals(left[index], right[index])) {
            return false;
        }
    }
    return true;
}

bool dicts_equal(const DictData& left, const DictData& right) {
    if (left.entries.size() != right.entries.size()) {
        return false;
    }
    for (const auto& [key, item] : left.entries) {
        std::optional<Value> other = dict_find(right, key);
        if (!other || !python_equals(item, *other)) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool is_truthy(const Value& value) {
    switch (value.kind()) {
        case ValueKind::Undefined:
        case ValueKind::None: return false;
        case ValueKind::Bool: return value.as_bool();
        case ValueKind::Int: return value.as_int() != 0;
        case ValueKind::Float: return value.as_float() != 0.0;
        case ValueKind::String: return !value.as_string().empty();
        case ValueKind::List: return !value.as_list().items.empty();
        case ValueKind::Dict: return !value.as_dict().entries.empty();
        case ValueKind::Namespace:
        case ValueKind::Object: return true;
    }
    return false;
}

std::string type_name(const Value& value) {
    switch (value.kind()) {
        case ValueKind::Undefined: return "Undefined";
        case ValueKind::None: return "NoneType";
        case ValueKind::Bool: return "bool";
        case ValueKind::Int: return "int";
        case ValueKind::Float: return "float";
        case ValueKind::String: return "str";
        case ValueKind::List: return value.as_list().is_tuple ? "tuple" : "list";
        case ValueKind::Dict: return "dict";
        case ValueKind::Namespace: return "Namespace";
        case ValueKind::Object: return value.as_object().type_name();
    }
    return "object";
}

std::string object_description(const Value& value) {
    if (value.is_none()) {
        return "None";
    }
    return type_name(value) + " object";
}

bool python_equals(const Value& left, const Value& right) {
    if (left.is_number() && right.is_number()) {
        if (left.is_float() || right.is_float()) {
            return left.to_double() == right.to_double();
        }
        auto as_integer = [](const Value& v) {
            return v.is_bool() ? static_cast<std::int64_t>(v.as_bool()) : v.as_int();
        };
        return as_integer(left) == as_integer(right);
    }
    if (left.kind() != right.kind()) {
        return false;
    }
    switch (left.kind()) {
        case ValueKind::Undefined:
        case ValueKind::None: return true;
        case ValueKind::String: return left.as_string() == right.as_string();
        case ValueKind::List:
            return left.as_list().is_tuple == right.as_list().is_tuple &&
                   sequences_equal(left.as_list().items, right.as_list().items);
        case ValueKind::Dict: return dicts_equal(left.as_dict(), right.as_dict());
        case ValueKind::Namespace: return left.namespace_ptr() == right.namespace_ptr();
        case ValueKind::Object: return left.object_ptr() == right.object_ptr();
        default: return false;
    }
}

Result<bool> python_less(const Value& left, const Value& right) {
    if (left.is_number() && right.is_number()) {
        if (left.is_int() && right.is_int()) {
            return left.as_int() < right.as_int();
        }
        return left.to_double() < right.to_double();
    }
    if (left.is_string() && right.is_string()) {
        // UTF-8 byte order is code point order, which is what Python compares.
        return left.as_string() < right.as_string();
    }
    if (left.is_list() && right.is_list() && left.is_tuple() == right.is_tuple()) {
        const auto& left_items = left.as_list().items;
        const auto& right_items = right.as_list().items;
        for (std::size_t index = 0; index < left_items.size() && index < right_items.size();
             ++index) {
            if (!python_equals(left_items[index], right_items[index])) {
                return python_less(left_items[index], right_items[index]);
            }
        }
        return left_items.size() < right_items.size();
    }
    return make_error(ErrorCode::InvalidFormat,
                      "'<' not supported between instances of '{}' and '{}'", type_name(left),
                      type_name(right));
}

Result<std::vector<std::size_t>> sorted_order(const std::vector<Value>& keys) {
    // A merge sort of our own: comparisons can fail, and std::sort must never see a
    // comparator that is not a strict weak order.
    std::vector<std::size_t> order(keys.size());
    for (std::size_t index = 0; index < order.size(); ++index) {
        order[index] = index;
    }
    std::vector<std::size_t> merged(order.size());
    for (std::size_t width = 1; width < order.size(); width *= 2) {
        for (std::size_t begin = 0; begin < order.size(); begin += 2 * width) {
            std::size_t middle = std::min(begin + width, order.size());
            std::size_t end = std::min(begin + 2 * width, order.size());
            std::size_t left = begin;
            std::size_t right = middle;
            std::size_t out = begin;
            while (left < middle && right < end) {
                INHOUSE_ASSIGN_OR_RETURN(bool right_first,
                                         python_less(keys[order[right]], keys[order[left]]));
                merged[out++] = right_first ? order[right++] : order[left++];
            }
            while (left < middle) {
                merged[out++] = order[left++];
            }
            while (right < end) {
                merged[out++] = order[right++];
            }
        }
        order.swap(merged);
    }
    return order;
}

bool is_hashable(const Value& value) {
    switch (value.kind()) {
        case ValueKind::Dict:
        case ValueKind::Namespace: return false;
        case ValueKind::List:
            if (!value.as_list().is_tuple) {
                return false;
            }
            for (const Value& item : value.as_list().items) {
                if (!is_hashable(item)) {
                    return false;
                }
            }
            return true;
        default: return true;
    }
}

std::optional<Value> dict_find(const DictData& dict, const Value& key) {
    for (const auto& [candidate, item] : dict.entries) {
        if (python_equals(candidate, key)) {
            return item;
        }
    }
    return std::nullopt;
}

Result<Value> make_dict(std::vector<std::pair<Value, Value>> entries) {
    std::vector<std::pair<Value, Value>> unique;
    unique.reserve(entries.size());
    for (auto& [key, item] : entries) {
        if (!is_hashable(key)) {
            return make_error(ErrorCode::InvalidFormat, "unhashable type: '{}'", type_name(key));
        }
        bool replaced = false;
        for (auto& existing : unique) {
            if (python_equals(existing.first, key)) {
                existing.second = std::move(item);
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            unique.emplace_back(std::move(key), std::move(item));
        }
    }
    return Value::dict(std::move(unique));
}

std::string to_str(const Value& value) {
    switch (value.kind()) {
        case ValueKind::Undefined: return "";
        case ValueKind::None: return "None";
        case ValueKind::Bool: return value.as_bool() ? "True" : "False";
        case ValueKind::Int: return std::to_string(value.as_int());
        case ValueKind::Float: return format_float(value.as_float());
        case ValueKind::String: return value.as_string();
        case ValueKind::Object: return value.as_object().repr();
        default: return repr_at_depth(value, 0);
    }
}

std::string to_repr(const Value& value) {
    return repr_at_depth(value, 0);
}

}  // namespace inhouse::chat::jinja
