// Metadata values of a GGUF file. Strings and numeric arrays are views into the mapped file
// (zero copy); they live as long as the GgufFile that produced them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace inhouse::gguf {

// GGUF's metadata value type ids.
enum class ValueType : std::uint32_t {
    Uint8 = 0,
    Int8 = 1,
    Uint16 = 2,
    Int16 = 3,
    Uint32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    Uint64 = 10,
    Int64 = 11,
    Float64 = 12,
};

std::string_view value_type_name(ValueType type);
bool is_known_value_type(std::uint32_t id);
// Bytes of one element of a fixed-size type; 0 for String and Array.
std::size_t value_type_size(ValueType type);
bool is_integer_type(ValueType type);

struct ArrayValue;

class Value {
public:
    static Value scalar(ValueType type, std::uint64_t raw_bits);
    static Value string(std::string_view text);
    static Value array(std::unique_ptr<ArrayValue> array);

    ValueType type() const { return type_; }

    // Any integer type (or Bool) whose value fits; nullopt otherwise.
    std::optional<std::uint64_t> as_uint() const;
    std::optional<std::int64_t> as_int() const;
    // Float32/Float64, or any integer type.
    std::optional<double> as_float() const;
    std::optional<bool> as_bool() const;
    std::optional<std::string_view> as_string() const;
    const ArrayValue* as_array() const { return array_.get(); }

private:
    ValueType type_ = ValueType::Uint8;
    std::uint64_t raw_bits_ = 0;  // the scalar's bytes, zero-extended (little-endian)
    std::string_view string_;
    std::shared_ptr<const ArrayValue> array_;
};

struct ArrayValue {
    ValueType element_type = ValueType::Uint8;
    std::uint64_t n_elements = 0;
    std::span<const std::uint8_t> raw;    // fixed-size elements, packed little-endian
    std::vector<std::string_view> strings;  // when element_type == String
    std::vector<Value> arrays;              // when element_type == Array

    // Element i of a fixed-size array, as a scalar Value; i < n_elements.
    Value element(std::uint64_t index) const;
};

}  // namespace inhouse::gguf
