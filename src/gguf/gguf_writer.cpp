#include "gguf/gguf_writer.h"

#include <cstring>
#include <filesystem>
#include <fstream>


namespace inhouse::gguf {

namespace {

// resize + memcpy rather than insert: g++ 12 reports a false -Wstringop-overflow on
// vector<uint8_t>::insert at -O3.
void append_bytes(std::vector<std::uint8_t>& out, const void* data, std::size_t n_bytes) {
    if (n_bytes == 0) return;
    const std::size_t old_size = out.size();
    out.resize(old_size + n_bytes);
    std::memcpy(out.data() + old_size, data, n_bytes);
}

template <typename T>
void append(std::vector<std::uint8_t>& out, T value) {
    append_bytes(out, &value, sizeof(T));
}

void append_string(std::vector<std::uint8_t>& out, std::string_view text) {
    append<std::uint64_t>(out, text.size());
    append_bytes(out, text.data(), text.size());
}

void pad_to(std::vector<std::uint8_t>& out, std::uint64_t alignment) {
    while (out.size() % alignment != 0) out.push_back(0);
}

}  // namespace

template <typename T>
void GgufWriter::put(T value) {
    append(metadata_, value);
}

void GgufWriter::put_string(std::string_view text) { append_string(metadata_, text); }

void GgufWriter::begin_key(std::string_view key, ValueType type) {
    put_string(key);
    put(static_cast<std::uint32_t>(type));
    ++n_kv_;
}

void GgufWriter::add_uint32(std::string_view key, std::uint32_t value) {
    begin_key(key, ValueType::Uint32);
    put(value);
}

void GgufWriter::add_int32(std::string_view key, std::int32_t value) {
    begin_key(key, ValueType::Int32);
    put(value);
}

void GgufWriter::add_uint64(std::string_view key, std::uint64_t value) {
    begin_key(key, ValueType::Uint64);
    put(value);
}

void GgufWriter::add_float32(std::string_view key, float value) {
    begin_key(key, ValueType::Float32);
    put(value);
}

void GgufWriter::add_bool(std::string_view key, bool value) {
    begin_key(key, ValueType::Bool);
    put(static_cast<std::uint8_t>(value ? 1 : 0));
}

void GgufWriter::add_string(std::string_view key, std::string_view value) {
    begin_key(key, ValueType::String);
    put_string(value);
}

void GgufWriter::add_string_array(std::string_view key, const std::vector<std::string>& values) {
    begin_key(key, ValueType::Array);
    put(static_cast<std::uint32_t>(ValueType::String));
    put(static_cast<std::uint64_t>(values.size()));
    for (const auto& value : values) put_string(value);
}

void GgufWriter::add_int32_array(std::string_view key, const std::vector<std::int32_t>& values) {
    begin_key(key, ValueType::Array);
    put(static_cast<std::uint32_t>(ValueType::Int32));
    put(static_cast<std::uint64_t>(values.size()));
    for (const auto value : values) put(value);
}

void GgufWriter::add_float32_array(std::string_view key, const std::vector<float>& values) {
    begin_key(key, ValueType::Array);
    put(static_cast<std::uint32_t>(ValueType::Float32));
    put(static_cast<std::uint64_t>(values.size()));
    for (const auto value : values) put(value);
}

void GgufWriter::set_alignment(std::uint32_t alignment) {
    add_uint32("general.alignment", alignment);
    alignment_ = alignment;
}

Result<std::uint64_t> GgufWriter::checked_size(std::string_view name, TensorType type,
                                               const std::vector<std::uint64_t>& ne) {
    const auto& info = tensor_type_info(type);
    std::uint64_t n_elements = 1;
    for (const auto dim : ne) n_elements *= dim;
    if (ne.empty() || ne[0] % info.block_size != 0) {
        return make_error(ErrorCode::InvalidArgument,
                          "tensor '{}': row length is not a multiple of {}", name, info.block_size);
    }
    return n_elements / info.block_size * info.block_size_bytes;
}

Status GgufWriter::add_tensor(std::string_view name, TensorType type,
                              std::vector<std::uint64_t> ne, std::span<const std::uint8_t> data) {
    INHOUSE_ASSIGN_OR_RETURN(const std::uint64_t expected, checked_size(name, type, ne));
    if (data.size() != expected) {
        return make_error(ErrorCode::InvalidArgument, "tensor '{}': {} bytes given, {} expected",
                          name, data.size(), expected);
    }
    tensors_.push_back(PendingTensor{.name = std::string(name),
                                     .type = type,
                                     .ne = std::move(ne),
                                     .data = {data.begin(), data.end()},
                                     .fill = {},
                                     .n_bytes = expected});
    return {};
}

Status GgufWriter::add_generated_tensor(std::string_view name, TensorType type, std::vector<std::uint64_t> ne,
                                       TensorFiller fill) {
    INHOUSE_ASSIGN_OR_RETURN(const std::uint64_t n_bytes, checked_size(name, type, ne));
    tensors_.push_back(PendingTensor{.name = std::string(name),
                                     .type = type,
                                     .ne = std::move(ne),
                                     .data = {},
                                     .fill = std::move(fill),
                                     .n_bytes = n_bytes});
    return {};
}

void GgufWriter::with_bytes(const PendingTensor& tensor,
                            const std::function<void(std::span<const std::uint8_t>)>& use) {
    if (!tensor.fill) {
        use(tensor.data);
        return;
    }
    std::vector<std::uint8_t> bytes(tensor.n_bytes);
    tensor.fill(bytes);
    use(bytes);
}

std::vector<std::uint8_t> GgufWriter::header() const {
    std::vector<std::uint8_t> out;
    append<std::uint32_t>(out, 0x46554747);  // "GGUF"
    append<std::uint32_t>(out, 3);
    append<std::uint64_t>(out, tensors_.size());
    append<std::uint64_t>(out, n_kv_);
    append_bytes(out, metadata_.data(), metadata_.size());
    std::uint64_t data_offset = 0;
    for (const auto& tensor : tensors_) {
        append_string(out, tensor.name);
        append<std::uint32_t>(out, static_cast<std::uint32_t>(tensor.ne.size()));
        for (const auto dim : tensor.ne) append<std::uint64_t>(out, dim);
        append<std::uint32_t>(out, static_cast<std::uint32_t>(tensor.type));
        append<std::uint64_t>(out, data_offset);
        data_offset += (tensor.n_bytes + alignment_ - 1) / alignment_ * alignment_;
    }
    if (!tensors_.empty()) pad_to(out, alignment_);
    return out;
}

std::vector<std::uint8_t> GgufWriter::finish() const {
    std::vector<std::uint8_t> out = header();
    for (const auto& tensor : tensors_) {
        with_bytes(tensor, [&](std::span<const std::uint8_t> bytes) { append_bytes(out, bytes.data(), bytes.size()); });
        pad_to(out, alignment_);
    }
    return out;
}

Status GgufWriter::write(const std::string& path) const {
    const std::string temporary = path + ".partial";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return make_error(ErrorCode::Io, "cannot create '{}'", temporary);
        const auto head = header();
        out.write(reinterpret_cast<const char*>(head.data()), static_cast<std::streamsize>(head.size()));
        const std::vector<char> zeros(alignment_, 0);
        for (const auto& tensor : tensors_) {
            with_bytes(tensor, [&](std::span<const std::uint8_t> bytes) {
                out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
            });
            // The header ends aligned, so each tensor's padding depends on its own size only.
            out.write(zeros.data(), static_cast<std::streamsize>((alignment_ - tensor.n_bytes % alignment_) % alignment_));
        }
        out.flush();
        if (!out) {
            std::filesystem::remove(temporary);
            return make_error(ErrorCode::Io, "writing '{}' failed (disk full?)", temporary);
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) return make_error(ErrorCode::Io, "cannot rename '{}' to '{}': {}", temporary, path, error.message());
    return {};
}

}  // namespace inhouse::gguf
