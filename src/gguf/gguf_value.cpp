#include "gguf/gguf_value.h"

#include <array>
#include <cstring>
#include <limits>

#include "core/check.h"

namespace inhouse::gguf {

namespace {

struct ValueTypeRow {
    std::string_view name;
    std::size_t size_bytes;
};

constexpr std::array<ValueTypeRow, 13> kValueTypes = {{
    {"uint8", 1}, {"int8", 1}, {"uint16", 2}, {"int16", 2}, {"uint32", 4},
    {"int32", 4}, {"float32", 4}, {"bool", 1}, {"string", 0}, {"array", 0},
    {"uint64", 8}, {"int64", 8}, {"float64", 8},
}};

bool is_signed(ValueType type) {
    return type == ValueType::Int8 || type == ValueType::Int16 || type == ValueType::Int32 ||
           type == ValueType::Int64;
}

// Sign-extends a raw little-endian scalar of a signed type.
std::int64_t signed_value(ValueType type, std::uint64_t bits) {
    switch (type) {
        case ValueType::Int8: return static_cast<std::int8_t>(bits);
        case ValueType::Int16: return static_cast<std::int16_t>(bits);
        case ValueType::Int32: return static_cast<std::int32_t>(bits);
        default: return static_cast<std::int64_t>(bits);
    }
}

}  // namespace

std::string_view value_type_name(ValueType type) {
    const auto index = static_cast<std::size_t>(type);
    return index < kValueTypes.size() ? kValueTypes[index].name : "unknown";
}

bool is_known_value_type(std::uint32_t id) { return id < kValueTypes.size(); }

std::size_t value_type_size(ValueType type) {
    const auto index = static_cast<std::size_t>(type);
    INHOUSE_CHECK(index < kValueTypes.size(), "value type {}", index);
    return kValueTypes[index].size_bytes;
}

bool is_integer_type(ValueType type) {
    return type != ValueType::Float32 && type != ValueType::Float64 &&
           type != ValueType::String && type != ValueType::Array && type != ValueType::Bool;
}

Value Value::scalar(ValueType type, std::uint64_t raw_bits) {
    Value value;
    value.type_ = type;
    value.raw_bits_ = raw_bits;
    return value;
}

Value Value::string(std::string_view text) {
    Value value;
    value.type_ = ValueType::String;
    value.string_ = text;
    return value;
}

Value Value::array(std::unique_ptr<ArrayValue> array) {
    Value value;
    value.type_ = ValueType::Array;
    value.array_ = std::move(array);
    return value;
}

std::optional<std::uint64_t> Value::as_uint() const {
    if (type_ == ValueType::Bool) return raw_bits_ != 0 ? 1 : 0;
    if (!is_integer_type(type_)) return std::nullopt;
    if (is_signed(type_)) {
        const std::int64_t value = signed_value(type_, raw_bits_);
        if (value < 0) return std::nullopt;
        return static_cast<std::uint64_t>(value);
    }
    return raw_bits_;
}

std::optional<std::int64_t> Value::as_int() const {
    if (!is_integer_type(type_)) return std::nullopt;
    if (is_signed(type_)) return signed_value(type_, raw_bits_);
    if (raw_bits_ > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(raw_bits_);
}

std::optional<double> Value::as_float() const {
    if (type_ == ValueType::Float32) {
        float value = 0;
        const auto bits = static_cast<std::uint32_t>(raw_bits_);
        std::memcpy(&value, &bits, sizeof(value));
        return value;
    }
    if (type_ == ValueType::Float64) {
        double value = 0;
        std::memcpy(&value, &raw_bits_, sizeof(value));
        return value;
    }
    if (!is_integer_type(type_)) return std::nullopt;
    if (is_signed(type_)) return static_cast<double>(signed_value(type_, raw_bits_));
    return static_cast<double>(raw_bits_);
}

std::optional<bool> Value::as_bool() const {
    if (type_ != ValueType::Bool) return std::nullopt;
    return raw_bits_ != 0;
}

std::optional<std::string_view> Value::as_string() const {
    if (type_ != ValueType::String) return std::nullopt;
    return string_;
}

Value ArrayValue::element(std::uint64_t index) const {
    const std::size_t size = value_type_size(element_type);
    INHOUSE_CHECK(size > 0 && index < n_elements, "element {} of {}", index, n_elements);
    std::uint64_t bits = 0;
    std::memcpy(&bits, raw.data() + index * size, size);  // little-endian host (checked in CMake)
    return Value::scalar(element_type, bits);
}

}  // namespace inhouse::gguf
