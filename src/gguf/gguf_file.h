// A parsed, validated GGUF file (versions 2 and 3), mapped read-only.
//
// Layout (all little-endian):
//   magic "GGUF" | u32 version | u64 n_tensors | u64 n_kv
//   n_kv × { string key | u32 value type | value }
//   n_tensors × { string name | u32 n_dims | u64 ne[n_dims] | u32 tensor type | u64 offset }
//   padding to `general.alignment` (default 32) | tensor data
// A string is u64 length + bytes (no terminator); an array is u32 element type + u64 count +
// elements. `ne` is innermost dimension first; TensorInfo::shape() gives it outermost first.
//
// open() checks every count, length, offset and type before anything is used, so any bytes
// either parse into a consistent file or produce an Error naming the file, field and offset.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/mmap_file.h"
#include "core/result.h"
#include "gguf/gguf_value.h"
#include "gguf/tensor_type.h"

namespace inhouse::gguf {

class GgufFile;
namespace detail {
Status validate_tensor_layout(GgufFile& file);
}  // namespace detail

inline constexpr std::uint32_t kMaxDims = 4;
inline constexpr std::uint64_t kDefaultAlignment = 32;
inline constexpr std::size_t kMaxTensorNameBytes = 63;  // ggml's GGML_MAX_NAME - 1

struct KeyValue {
    std::string_view key;
    Value value;
    std::uint64_t file_offset = 0;  // where the key starts
};

struct TensorInfo {
    std::string_view name;
    TensorType type = TensorType::F32;
    std::uint32_t n_dims = 0;
    std::array<std::uint64_t, kMaxDims> ne{1, 1, 1, 1};  // innermost first, unused dims = 1
    std::uint64_t n_elements = 0;
    std::uint64_t size_bytes = 0;
    std::uint64_t data_offset = 0;  // relative to the start of the data section
    std::uint64_t file_offset = 0;  // absolute offset of the data in the file
    std::uint64_t info_offset = 0;  // where this tensor's header entry starts
    std::span<const std::uint8_t> data;

    // Dimensions outermost first: a [n_vocab, n_embd] matrix has ne = {n_embd, n_vocab}.
    std::vector<std::uint64_t> shape() const;
};

class GgufFile {
public:
    // Maps and validates a file.
    static Result<GgufFile> open(const std::string& path);
    // Parses bytes owned by the caller, who keeps them alive as long as the result; `label`
    // names them in errors.
    static Result<GgufFile> parse(std::span<const std::uint8_t> bytes, std::string label);

    GgufFile(GgufFile&&) noexcept = default;
    GgufFile& operator=(GgufFile&&) noexcept = default;

    const std::string& label() const { return label_; }
    std::uint32_t version() const { return version_; }
    std::uint64_t alignment() const { return alignment_; }
    std::uint64_t size_bytes() const { return bytes_.size(); }
    // The whole file as mapped (or as given to parse()).
    std::span<const std::uint8_t> bytes() const { return bytes_; }
    // Whether bytes() is a read-only mapping of a file (open()), whose pages may be dropped and
    // read back; parse() leaves the caller's memory, which must never be.
    bool is_mapped() const { return mapping_.has_value(); }
    std::uint64_t data_section_offset() const { return data_section_offset_; }

    const std::vector<KeyValue>& metadata() const { return metadata_; }
    const Value* find(std::string_view key) const;
    std::optional<std::string_view> get_string(std::string_view key) const;
    std::optional<std::uint64_t> get_uint(std::string_view key) const;
    std::optional<double> get_float(std::string_view key) const;
    std::optional<bool> get_bool(std::string_view key) const;
    const ArrayValue* get_array(std::string_view key) const;

    // `general.architecture`, or "" when absent.
    std::string_view architecture() const;

    const std::vector<TensorInfo>& tensors() const { return tensors_; }
    const TensorInfo* find_tensor(std::string_view name) const;

private:
    GgufFile() = default;
    friend class GgufParser;
    friend Status detail::validate_tensor_layout(GgufFile& file);

    std::optional<MappedFile> mapping_;
    std::span<const std::uint8_t> bytes_;
    std::string label_;
    std::uint32_t version_ = 0;
    std::uint64_t alignment_ = kDefaultAlignment;
    std::uint64_t data_section_offset_ = 0;
    std::vector<KeyValue> metadata_;
    std::vector<TensorInfo> tensors_;
    std::unordered_map<std::string_view, std::size_t> key_index_;
    std::unordered_map<std::string_view, std::size_t> tensor_index_;
};

}  // namespace inhouse::gguf
