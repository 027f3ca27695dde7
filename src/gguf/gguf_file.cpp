#include "gguf/gguf_file.h"

#include <limits>

#include "core/utf8.h"
#include "gguf/byte_cursor.h"
#include "gguf/gguf_validate.h"

namespace inhouse::gguf {

namespace {

constexpr std::uint32_t kMagic = 0x46554747;  // "GGUF" read as a little-endian u32
constexpr std::uint32_t kMinVersion = 2;
constexpr std::uint32_t kMaxVersion = 3;
constexpr int kMaxArrayDepth = 4;
// Smallest possible encodings, used to bound counts by the bytes that remain.
constexpr std::uint64_t kMinKeyValueBytes = 8 + 4 + 1;
constexpr std::uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;

std::uint32_t byte_swap(std::uint32_t value) { return __builtin_bswap32(value); }

}  // namespace

using detail::ByteCursor;

class GgufParser {
public:
    GgufParser(GgufFile& file) : file_(file), cursor_(file.bytes_, file.label_) {}

    Status parse() {
        INHOUSE_RETURN_IF_ERROR(parse_header());
        for (std::uint64_t i = 0; i < n_kv_; ++i) INHOUSE_RETURN_IF_ERROR(parse_key_value(i));
        INHOUSE_RETURN_IF_ERROR(read_alignment());
        for (std::uint64_t i = 0; i < n_tensors_; ++i) INHOUSE_RETURN_IF_ERROR(parse_tensor_info(i));
        INHOUSE_RETURN_IF_ERROR(place_data_section());
        INHOUSE_RETURN_IF_ERROR(detail::validate_tensor_layout(file_));
        return detail::validate_required_keys(file_);
    }

private:
    Status parse_header() {
        INHOUSE_ASSIGN_OR_RETURN(const auto magic, cursor_.read<std::uint32_t>("magic"));
        if (magic != kMagic) {
            return cursor_.error_at(0, "magic",
                                    fmt::format("expected 'GGUF' (0x{:08x}), got 0x{:08x}: not a "
                                                "GGUF file",
                                                kMagic, magic));
        }
        INHOUSE_ASSIGN_OR_RETURN(const auto version, cursor_.read<std::uint32_t>("version"));
        if (version > kMaxVersion && byte_swap(version) >= 1 && byte_swap(version) <= kMaxVersion) {
            return cursor_.error_at(4, "version",
                                    fmt::format("big-endian GGUF (version {} byte-swapped) is not "
                                                "supported; convert it to little-endian",
                                                byte_swap(version)));
        }
        if (version < kMinVersion || version > kMaxVersion) {
            return cursor_.error_at(4, "version",
                                    fmt::format("unsupported version {} (supported: {} and {})",
                                                version, kMinVersion, kMaxVersion));
        }
        file_.version_ = version;
        INHOUSE_ASSIGN_OR_RETURN(n_tensors_, read_count("tensor count", kMinTensorInfoBytes));
        INHOUSE_ASSIGN_OR_RETURN(n_kv_, read_count("metadata count", kMinKeyValueBytes));
        return {};
    }

    // A u64 count whose items need at least `min_item_bytes` each.
    Result<std::uint64_t> read_count(std::string_view field, std::uint64_t min_item_bytes) {
        const auto start = cursor_.position();
        INHOUSE_ASSIGN_OR_RETURN(const auto count, cursor_.read<std::uint64_t>(field));
        // Counts are bounded by the whole file: the other section comes in between.
        if (count > cursor_.remaining() / min_item_bytes) {
            return cursor_.error_at(start, field,
                                    fmt::format("{} cannot fit in the {} bytes left in the file",
                                                count, cursor_.remaining()));
        }
        return count;
    }

    Status parse_key_value(std::uint64_t index) {
        const auto start = cursor_.position();
        const auto field = fmt::format("metadata key #{}", index);
        INHOUSE_ASSIGN_OR_RETURN(const auto key, cursor_.read_string(field));
        if (key.empty()) return cursor_.error_at(start, field, "empty key");
        if (auto bad = find_invalid_utf8(key)) {
            return cursor_.error_at(start, field,
                                    fmt::format("key is not valid UTF-8 (byte {})", *bad));
        }
        const auto value_field = fmt::format("value of '{}'", key);
        INHOUSE_ASSIGN_OR_RETURN(auto value, parse_value(value_field, 0));
        if (!file_.key_index_.emplace(key, file_.metadata_.size()).second) {
            return cursor_.error_at(start, field, fmt::format("duplicate key '{}'", key));
        }
        file_.metadata_.push_back(KeyValue{.key = key, .value = std::move(value), .file_offset = start});
        return {};
    }

    Result<ValueType> read_value_type(std::string_view field) {
        const auto start = cursor_.position();
        INHOUSE_ASSIGN_OR_RETURN(const auto id, cursor_.read<std::uint32_t>(field));
        if (!is_known_value_type(id)) {
            return cursor_.error_at(start, field, fmt::format("unknown value type {}", id));
        }
        return static_cast<ValueType>(id);
    }

    Result<Value> parse_value(std::string_view field, int depth) {
        INHOUSE_ASSIGN_OR_RETURN(const auto type, read_value_type(field));
        return parse_value_of_type(type, field, depth);
    }

    Result<Value> parse_value_of_type(ValueType type, std::string_view field, int depth) {
        const auto start = cursor_.position();
        if (type == ValueType::String) {
            INHOUSE_ASSIGN_OR_RETURN(const auto text, cursor_.read_string(field));
            if (auto bad = find_invalid_utf8(text)) {
                return cursor_.error_at(start, field,
                                        fmt::format("string is not valid UTF-8 (byte {})", *bad));
            }
            return Value::string(text);
        }
        if (type == ValueType::Array) return parse_array(field, depth);
        const std::size_t size = value_type_size(type);
        INHOUSE_ASSIGN_OR_RETURN(const auto bytes, cursor_.take(size, field));
        std::uint64_t bits = 0;
        std::memcpy(&bits, bytes.data(), size);
        if (type == ValueType::Bool && bits > 1) {
            return cursor_.error_at(start, field, fmt::format("bool must be 0 or 1, got {}", bits));
        }
        return Value::scalar(type, bits);
    }

    Result<Value> parse_array(std::string_view field, int depth) {
        const auto start = cursor_.position();
        if (depth >= kMaxArrayDepth) {
            return cursor_.error_at(start, field,
                                    fmt::format("arrays nested deeper than {}", kMaxArrayDepth));
        }
        auto array = std::make_unique<ArrayValue>();
        INHOUSE_ASSIGN_OR_RETURN(array->element_type, read_value_type(field));
        const auto count_offset = cursor_.position();
        INHOUSE_ASSIGN_OR_RETURN(array->n_elements, cursor_.read<std::uint64_t>(field));
        const std::uint64_t min_element_bytes =
            array->element_type == ValueType::String  ? 8
            : array->element_type == ValueType::Array ? 12
                                                      : value_type_size(array->element_type);
        if (array->n_elements > cursor_.remaining() / min_element_bytes) {
            return cursor_.error_at(count_offset, field,
                                    fmt::format("array of {} {} elements cannot fit in the {} "
                                                "bytes left in the file",
                                                array->n_elements,
                                                value_type_name(array->element_type),
                                                cursor_.remaining()));
        }
        INHOUSE_RETURN_IF_ERROR(parse_array_elements(*array, field, depth));
        return Value::array(std::move(array));
    }

    Status parse_array_elements(ArrayValue& array, std::string_view field, int depth) {
        if (array.element_type == ValueType::String) {
            // Vocabulary strings are not UTF-8-checked here: byte-level vocabularies may hold
            // partial characters, and the tokenizer validates what it uses.
            array.strings.reserve(array.n_elements);
            for (std::uint64_t i = 0; i < array.n_elements; ++i) {
                INHOUSE_ASSIGN_OR_RETURN(const auto text, cursor_.read_string(field));
                array.strings.push_back(text);
            }
        } else if (array.element_type == ValueType::Array) {
            for (std::uint64_t i = 0; i < array.n_elements; ++i) {
                INHOUSE_ASSIGN_OR_RETURN(auto element, parse_value_of_type(ValueType::Array, field,
                                                                           depth + 1));
                array.arrays.push_back(std::move(element));
            }
        } else {
            const std::uint64_t size = value_type_size(array.element_type) * array.n_elements;
            INHOUSE_ASSIGN_OR_RETURN(array.raw, cursor_.take(size, field));
            if (array.element_type == ValueType::Bool) {
                for (std::uint64_t i = 0; i < array.n_elements; ++i) {
                    if (array.raw[i] > 1) {
                        return cursor_.error_at(cursor_.position() - size + i, field,
                                                "bool array element must be 0 or 1");
                    }
                }
            }
        }
        return {};
    }

    Status read_alignment() {
        const auto it = file_.key_index_.find("general.alignment");
        if (it == file_.key_index_.end()) return {};
        const auto& entry = file_.metadata_[it->second];
        const auto alignment = entry.value.as_uint();
        if (entry.value.type() != ValueType::Uint32 || !alignment || *alignment == 0 ||
            (*alignment & (*alignment - 1)) != 0) {
            return cursor_.error_at(
                entry.file_offset, "general.alignment",
                fmt::format("must be a uint32 power of two, got {} {}", value_type_name(entry.value.type()),
                            alignment ? std::to_string(*alignment) : std::string("value")));
        }
        file_.alignment_ = *alignment;
        return {};
    }

    Status parse_tensor_info(std::uint64_t index) {
        TensorInfo info;
        info.info_offset = cursor_.position();
        const auto field = fmt::format("tensor #{}", index);
        INHOUSE_ASSIGN_OR_RETURN(info.name, cursor_.read_string(field + " name"));
        INHOUSE_RETURN_IF_ERROR(check_tensor_name(info, field));
        const auto named = fmt::format("tensor '{}'", info.name);
        const auto dims_offset = cursor_.position();
        INHOUSE_ASSIGN_OR_RETURN(info.n_dims, cursor_.read<std::uint32_t>(named + " n_dims"));
        if (info.n_dims == 0 || info.n_dims > kMaxDims) {
            return cursor_.error_at(dims_offset, named,
                                    fmt::format("n_dims {} outside 1..{}", info.n_dims, kMaxDims));
        }
        for (std::uint32_t dim = 0; dim < info.n_dims; ++dim) {
            INHOUSE_ASSIGN_OR_RETURN(info.ne[dim], cursor_.read<std::uint64_t>(named + " shape"));
        }
        const auto type_offset = cursor_.position();
        INHOUSE_ASSIGN_OR_RETURN(const auto type_id, cursor_.read<std::uint32_t>(named + " type"));
        const auto type_info = find_tensor_type(type_id);
        if (!type_info) {
            const auto retired = retired_tensor_type_name(type_id);
            return cursor_.error_at(
                type_offset, named,
                retired ? fmt::format("tensor type {} ({}) was retired from GGUF; re-convert the "
                                      "model", type_id, *retired)
                        : fmt::format("unknown tensor type {}", type_id));
        }
        info.type = type_info->type;
        INHOUSE_ASSIGN_OR_RETURN(info.data_offset, cursor_.read<std::uint64_t>(named + " offset"));
        INHOUSE_RETURN_IF_ERROR(detail::compute_tensor_size(info, *type_info, cursor_, dims_offset));
        if (!file_.tensor_index_.emplace(info.name, file_.tensors_.size()).second) {
            return cursor_.error_at(info.info_offset, named, "duplicate tensor name");
        }
        file_.tensors_.push_back(info);
        return {};
    }

    Status check_tensor_name(const TensorInfo& info, const std::string& field) {
        if (info.name.empty()) return cursor_.error_at(info.info_offset, field, "empty name");
        if (info.name.size() > kMaxTensorNameBytes) {
            return cursor_.error_at(info.info_offset, field,
                                    fmt::format("name is {} bytes, longer than {}",
                                                info.name.size(), kMaxTensorNameBytes));
        }
        if (auto bad = find_invalid_utf8(info.name)) {
            return cursor_.error_at(info.info_offset, field,
                                    fmt::format("name is not valid UTF-8 (byte {})", *bad));
        }
        return {};
    }

    Status place_data_section() {
        const std::uint64_t end_of_header = cursor_.position();
        const std::uint64_t padding = (file_.alignment_ - end_of_header % file_.alignment_) %
                                      file_.alignment_;
        // A file without tensors may end right after its header.
        if (file_.tensors_.empty()) {
            file_.data_section_offset_ = std::min<std::uint64_t>(end_of_header + padding,
                                                                  file_.bytes_.size());
            return {};
        }
        if (padding > cursor_.remaining()) {
            return cursor_.error_at(end_of_header, "data section",
                                    fmt::format("padding to alignment {} runs past end of file",
                                                file_.alignment_));
        }
        file_.data_section_offset_ = end_of_header + padding;
        return {};
    }

    GgufFile& file_;
    ByteCursor cursor_;
    std::uint64_t n_tensors_ = 0;
    std::uint64_t n_kv_ = 0;
};

std::vector<std::uint64_t> TensorInfo::shape() const {
    std::vector<std::uint64_t> dims;
    for (std::uint32_t dim = n_dims; dim > 0; --dim) dims.push_back(ne[dim - 1]);
    return dims;
}

Result<GgufFile> GgufFile::open(const std::string& path) {
    INHOUSE_ASSIGN_OR_RETURN(auto mapping, MappedFile::open(path));
    GgufFile file;
    file.label_ = path;
    file.bytes_ = mapping.bytes();
    file.mapping_.emplace(std::move(mapping));
    GgufParser parser(file);
    INHOUSE_RETURN_IF_ERROR(parser.parse());
    return file;
}

Result<GgufFile> GgufFile::parse(std::span<const std::uint8_t> bytes, std::string label) {
    GgufFile file;
    file.label_ = std::move(label);
    file.bytes_ = bytes;
    GgufParser parser(file);
    INHOUSE_RETURN_IF_ERROR(parser.parse());
    return file;
}

const Value* GgufFile::find(std::string_view key) const {
    const auto it = key_index_.find(key);
    return it == key_index_.end() ? nullptr : &metadata_[it->second].value;
}

std::optional<std::string_view> GgufFile::get_string(std::string_view key) const {
    const Value* value = find(key);
    return value ? value->as_string() : std::nullopt;
}

std::optional<std::uint64_t> GgufFile::get_uint(std::string_view key) const {
    const Value* value = find(key);
    return value ? value->as_uint() : std::nullopt;
}

std::optional<double> GgufFile::get_float(std::string_view key) const {
    const Value* value = find(key);
    return value ? value->as_float() : std::nullopt;
}

std::optional<bool> GgufFile::get_bool(std::string_view key) const {
    const Value* value = find(key);
    return value ? value->as_bool() : std::nullopt;
}

const ArrayValue* GgufFile::get_array(std::string_view key) const {
    const Value* value = find(key);
    return value ? value->as_array() : nullptr;
}

std::string_view GgufFile::architecture() const {
    return get_string("general.architecture").value_or("");
}

const TensorInfo* GgufFile::find_tensor(std::string_view name) const {
    const auto it = tensor_index_.find(name);
    return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace inhouse::gguf
