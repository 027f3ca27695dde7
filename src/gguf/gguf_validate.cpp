#include "gguf/gguf_validate.h"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>

namespace inhouse::gguf::detail {

namespace {

constexpr std::uint64_t kMaxElements = std::numeric_limits<std::int64_t>::max();

Error layout_error(const GgufFile& file, const TensorInfo& info, std::string_view message) {
    return make_error(ErrorCode::InvalidFormat, "{}: tensor '{}' (entry at offset {:#x}): {}",
                      file.label(), info.name, info.info_offset, message);
}

struct ArchitectureKeys {
    std::string_view architecture;
    std::array<std::string_view, 5> suffixes;  // empty entries are unused
};

// Hyperparameters without which a model of the architecture cannot be built at all.
constexpr std::array kRequiredKeys = {
    ArchitectureKeys{"llama", {"context_length", "embedding_length", "block_count",
                               "attention.head_count", "feed_forward_length"}},
    ArchitectureKeys{"gemma3", {"context_length", "embedding_length", "block_count",
                                "attention.head_count", "feed_forward_length"}},
    ArchitectureKeys{"gemma2", {"context_length", "embedding_length", "block_count",
                                "attention.head_count", "feed_forward_length"}},
    ArchitectureKeys{"qwen2", {"context_length", "embedding_length", "block_count",
                               "attention.head_count", "feed_forward_length"}},
    ArchitectureKeys{"qwen3", {"context_length", "embedding_length", "block_count",
                               "attention.head_count", "feed_forward_length"}},
    ArchitectureKeys{"phi3", {"context_length", "embedding_length", "block_count",
                              "attention.head_count", "feed_forward_length"}},
};

}  // namespace

Status compute_tensor_size(TensorInfo& info, const TensorTypeInfo& type, const ByteCursor& cursor,
                           std::uint64_t dims_offset) {
    const auto field = fmt::format("tensor '{}' shape", info.name);
    std::uint64_t n_elements = 1;
    for (std::uint32_t dim = 0; dim < info.n_dims; ++dim) {
        if (info.ne[dim] == 0) {
            return cursor.error_at(dims_offset, field, fmt::format("dimension {} is zero", dim));
        }
        if (__builtin_mul_overflow(n_elements, info.ne[dim], &n_elements) ||
            n_elements > kMaxElements) {
            return cursor.error_at(dims_offset, field, "element count overflows 63 bits");
        }
    }
    if (info.ne[0] % type.block_size != 0) {
        return cursor.error_at(dims_offset, field,
                               fmt::format("row of {} elements is not a whole number of {} "
                                           "blocks of {}",
                                           info.ne[0], type.name, type.block_size));
    }
    info.n_elements = n_elements;
    // n_elements < 2^63 and block bytes ≤ 292 per ≥ 1 element cannot overflow after division.
    const std::uint64_t n_blocks = n_elements / type.block_size;
    if (__builtin_mul_overflow(n_blocks, std::uint64_t{type.block_size_bytes}, &info.size_bytes)) {
        return cursor.error_at(dims_offset, field, "byte size overflows 64 bits");
    }
    return {};
}

Status validate_tensor_layout(GgufFile& file) {
    const std::uint64_t data_start = file.data_section_offset_;
    const std::uint64_t data_size = file.bytes_.size() - std::min<std::uint64_t>(
                                                             data_start, file.bytes_.size());
    for (auto& info : file.tensors_) {
        if (info.data_offset % file.alignment_ != 0) {
            return layout_error(file, info,
                                fmt::format("data offset {:#x} is not a multiple of the "
                                            "alignment {}",
                                            info.data_offset, file.alignment_));
        }
        if (info.data_offset > data_size || info.size_bytes > data_size - info.data_offset) {
            const std::uint64_t available =
                info.data_offset > data_size ? 0 : data_size - info.data_offset;
            return layout_error(file, info,
                                fmt::format("data at offset {:#x} of the data section (which starts "
                                            "at {:#x} and holds {} bytes) runs past end of file "
                                            "(needs {} bytes, {} remain)",
                                            info.data_offset, data_start, data_size,
                                            info.size_bytes, available));
        }
        info.file_offset = data_start + info.data_offset;
        info.data = file.bytes_.subspan(info.file_offset, info.size_bytes);
    }
    std::vector<std::size_t> order(file.tensors_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return file.tensors_[a].data_offset < file.tensors_[b].data_offset;
    });
    for (std::size_t i = 1; i < order.size(); ++i) {
        const auto& previous = file.tensors_[order[i - 1]];
        const auto& current = file.tensors_[order[i]];
        if (current.data_offset < previous.data_offset + previous.size_bytes) {
            return layout_error(file, current,
                                fmt::format("data at offset {:#x} overlaps tensor '{}' ({:#x}..{:#x})",
                                            current.file_offset, previous.name,
                                            previous.file_offset,
                                            previous.file_offset + previous.size_bytes));
        }
    }
    return {};
}

Status validate_required_keys(const GgufFile& file) {
    if (file.tensors().empty()) return {};  // vocabulary-only files carry no hyperparameters
    const Value* architecture = file.find("general.architecture");
    if (architecture == nullptr) {
        return make_error(ErrorCode::InvalidFormat,
                          "{}: required key 'general.architecture' is missing", file.label());
    }
    if (!architecture->as_string()) {
        return make_error(ErrorCode::InvalidFormat,
                          "{}: key 'general.architecture' must be a string, got {}",
                          file.label(), value_type_name(architecture->type()));
    }
    for (const auto& entry : kRequiredKeys) {
        if (entry.architecture != *architecture->as_string()) continue;
        for (const auto suffix : entry.suffixes) {
            if (suffix.empty()) continue;
            const auto key = fmt::format("{}.{}", entry.architecture, suffix);
            const Value* value = file.find(key);
            if (value == nullptr) {
                return make_error(ErrorCode::InvalidFormat,
                                  "{}: required key '{}' for architecture '{}' is missing",
                                  file.label(), key, entry.architecture);
            }
            if (!value->as_uint()) {
                return make_error(ErrorCode::InvalidFormat,
                                  "{}: key '{}' must be a non-negative integer, got {}",
                                  file.label(), key, value_type_name(value->type()));
            }
        }
    }
    return {};
}

}  // namespace inhouse::gguf::detail
