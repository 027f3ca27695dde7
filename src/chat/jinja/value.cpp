#include "chat/jinja/value.h"

#include <algorithm>

namespace inhouse::chat::jinja {

namespace {

int depth_of_items(const std::vector<Value>& items) {
    int deepest = 0;
    for (const Value& item : items) {
        deepest = std::max(deepest, item.nesting_depth());
    }
    return deepest + 1;
}

template <typename Json>
Result<Value> convert_json(const Json& json, int depth) {
    if (depth > kMaxValueNesting) {
        return make_error(ErrorCode::InvalidArgument, "JSON value nested deeper than {} levels",
                          kMaxValueNesting);
    }
    switch (json.type()) {
        case nlohmann::json::value_t::null:
        case nlohmann::json::value_t::discarded: return Value::none();
        case nlohmann::json::value_t::boolean: return Value::boolean(json.template get<bool>());
        case nlohmann::json::value_t::number_integer:
            return Value::integer(json.template get<std::int64_t>());
        case nlohmann::json::value_t::number_unsigned: {
            auto number = json.template get<std::uint64_t>();
            if (number > static_cast<std::uint64_t>(INT64_MAX)) {
                return Value::floating(static_cast<double>(number));
            }
            return Value::integer(static_cast<std::int64_t>(number));
        }
        case nlohmann::json::value_t::number_float:
            return Value::floating(json.template get<double>());
        case nlohmann::json::value_t::string:
            return Value::string(json.template get<std::string>());
        case nlohmann::json::value_t::array: {
            std::vector<Value> items;
            items.reserve(json.size());
            for (const auto& element : json) {
                INHOUSE_ASSIGN_OR_RETURN(Value item, convert_json(element, depth + 1));
                items.push_back(std::move(item));
            }
            return Value::list(std::move(items));
        }
        case nlohmann::json::value_t::object: {
            std::vector<std::pair<Value, Value>> entries;
            entries.reserve(json.size());
            for (auto it = json.begin(); it != json.end(); ++it) {
                INHOUSE_ASSIGN_OR_RETURN(Value item, convert_json(it.value(), depth + 1));
                entries.emplace_back(Value::string(it.key()), std::move(item));
            }
            // JSON object keys are unique strings, so no duplicate check is needed.
            return Value::dict(std::move(entries));
        }
        case nlohmann::json::value_t::binary: break;
    }
    return make_error(ErrorCode::InvalidArgument, "JSON binary values are not supported");
}

}  // namespace

Value Value::undefined(std::string hint) {
    return Value(ValueKind::Undefined, std::make_shared<const std::string>(std::move(hint)));
}

Value Value::boolean(bool value) {
    Value result(ValueKind::Bool);
    result.integer_ = value ? 1 : 0;
    return result;
}

Value Value::integer(std::int64_t value) {
    Value result(ValueKind::Int);
    result.integer_ = value;
    return result;
}

Value Value::floating(double value) {
    Value result(ValueKind::Float);
    result.floating_ = value;
    return result;
}

Value Value::string(std::string text) {
    return Value(ValueKind::String, std::make_shared<const std::string>(std::move(text)));
}

Value Value::list(std::vector<Value> items) {
    auto data = std::make_shared<ListData>();
    data->nesting_depth = depth_of_items(items);
    data->items = std::move(items);
    return Value(ValueKind::List, std::move(data));
}

Value Value::tuple(std::vector<Value> items) {
    auto data = std::make_shared<ListData>();
    data->nesting_depth = depth_of_items(items);
    data->items = std::move(items);
    data->is_tuple = true;
    return Value(ValueKind::List, std::move(data));
}

Value Value::dict(std::vector<std::pair<Value, Value>> entries) {
    auto data = std::make_shared<DictData>();
    int deepest = 0;
    for (const auto& [key, item] : entries) {
        deepest = std::max({deepest, key.nesting_depth(), item.nesting_depth()});
    }
    data->nesting_depth = deepest + 1;
    data->entries = std::move(entries);
    return Value(ValueKind::Dict, std::move(data));
}

Value Value::new_namespace() {
    return Value(ValueKind::Namespace, std::make_shared<NamespaceData>());
}

Value Value::object(std::shared_ptr<const Object> object) {
    return Value(ValueKind::Object, std::move(object));
}

const std::string& Value::undefined_hint() const {
    static const std::string kEmpty;
    return heap_ ? *static_cast<const std::string*>(heap_.get()) : kEmpty;
}

double Value::to_double() const {
    switch (kind()) {
        case ValueKind::Bool: return as_bool() ? 1.0 : 0.0;
        case ValueKind::Int: return static_cast<double>(as_int());
        case ValueKind::Float: return as_float();
        default: return 0.0;
    }
}

int Value::nesting_depth() const {
    switch (kind()) {
        case ValueKind::List: return as_list().nesting_depth;
        case ValueKind::Dict: return as_dict().nesting_depth;
        default: return 0;
    }
}

Result<Value> Value::from_json(const nlohmann::ordered_json& json) {
    return convert_json(json, 0);
}

Result<Value> Value::from_json(const nlohmann::json& json) {
    return convert_json(json, 0);
}

}  // namespace inhouse::chat::jinja
