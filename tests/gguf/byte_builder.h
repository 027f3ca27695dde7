// Hand-assembles GGUF bytes field by field, for files GgufWriter cannot express on purpose:
// every metadata value type, nested arrays, corrupt counts. Test-only; no validation at all.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "gguf/gguf_value.h"

namespace inhouse::gguf::fixtures {

class ByteBuilder {
public:
    template <typename T>
    ByteBuilder& put(T value) {
        const std::size_t old_size = bytes_.size();
        bytes_.resize(old_size + sizeof(T));
        std::memcpy(bytes_.data() + old_size, &value, sizeof(T));
        return *this;
    }
    ByteBuilder& u8(std::uint8_t value) { return put(value); }
    ByteBuilder& u32(std::uint32_t value) { return put(value); }
    ByteBuilder& u64(std::uint64_t value) { return put(value); }
    ByteBuilder& type(ValueType value) { return put(static_cast<std::uint32_t>(value)); }

    // A GGUF string: u64 length + bytes.
    ByteBuilder& str(std::string_view text) {
        u64(text.size());
        const std::size_t old_size = bytes_.size();
        bytes_.resize(old_size + text.size());
        if (!text.empty()) std::memcpy(bytes_.data() + old_size, text.data(), text.size());
        return *this;
    }

    // magic "GGUF" | u32 version | u64 n_tensors | u64 n_kv
    ByteBuilder& header(std::uint64_t n_tensors, std::uint64_t n_kv, std::uint32_t version = 3) {
        return u32(0x46554747).u32(version).u64(n_tensors).u64(n_kv);
    }

    // A key followed by its value type; the caller appends the value.
    ByteBuilder& key(std::string_view name, ValueType value_type) {
        return str(name).type(value_type);
    }

    // An array header: element type + count; the caller appends the elements.
    ByteBuilder& array(ValueType element_type, std::uint64_t n_elements) {
        return type(element_type).u64(n_elements);
    }

    std::size_t size() const { return bytes_.size(); }
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
};

}  // namespace inhouse::gguf::fixtures
