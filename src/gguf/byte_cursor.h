// Bounds-checked little-endian reads over untrusted bytes. Every failed read is an Error
// naming the label, the field being read and the byte offset.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace inhouse::gguf::detail {

class ByteCursor {
public:
    ByteCursor(std::span<const std::uint8_t> bytes, const std::string& label)
        : bytes_(bytes), label_(label) {}

    std::uint64_t position() const { return pos_; }
    std::uint64_t remaining() const { return bytes_.size() - pos_; }

    template <typename T>
    Result<T> read(std::string_view field) {
        if (remaining() < sizeof(T)) {
            return error_at(pos_, field, fmt::format("needs {} bytes, {} remain (truncated file)",
                                                     sizeof(T), remaining()));
        }
        T value;
        std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return value;
    }

    // A view of the next n bytes.
    Result<std::span<const std::uint8_t>> take(std::uint64_t n_bytes, std::string_view field) {
        if (remaining() < n_bytes) {
            return error_at(pos_, field, fmt::format("needs {} bytes, {} remain (truncated file)",
                                                     n_bytes, remaining()));
        }
        auto view = bytes_.subspan(pos_, n_bytes);
        pos_ += n_bytes;
        return view;
    }

    // A GGUF string: u64 length + bytes.
    Result<std::string_view> read_string(std::string_view field) {
        const std::uint64_t start = pos_;
        INHOUSE_ASSIGN_OR_RETURN(const auto length, read<std::uint64_t>(field));
        if (length > remaining()) {
            return error_at(start, field,
                            fmt::format("string length {} exceeds the {} bytes left in the file",
                                        length, remaining()));
        }
        INHOUSE_ASSIGN_OR_RETURN(const auto view, take(length, field));
        return std::string_view(reinterpret_cast<const char*>(view.data()), view.size());
    }

    Error error_at(std::uint64_t offset, std::string_view field, std::string_view message) const {
        return make_error(ErrorCode::InvalidFormat, "{}: at offset {:#x}: {}: {}", label_, offset,
                          field, message);
    }

private:
    std::span<const std::uint8_t> bytes_;
    const std::string& label_;
    std::uint64_t pos_ = 0;
};

}  // namespace inhouse::gguf::detail
