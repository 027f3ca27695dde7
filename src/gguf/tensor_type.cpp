#include "gguf/tensor_type.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/check.h"

namespace inhouse::gguf {

namespace {

constexpr std::array kTensorTypes = {
#define X(name, display, id, block, bytes) \
    TensorTypeInfo{TensorType::name, display, id, block, bytes},
#include "gguf/tensor_type.def"
#undef X
};

struct RetiredType {
    std::uint32_t ggml_id;
    std::string_view name;
};

// Ids ggml used once and removed; files carrying them predate today's formats.
constexpr std::array kRetiredTypes = {
    RetiredType{4, "Q4_2"},         RetiredType{5, "Q4_3"},         RetiredType{31, "Q4_0_4_4"},
    RetiredType{32, "Q4_0_4_8"},    RetiredType{33, "Q4_0_8_8"},    RetiredType{36, "IQ4_NL_4_4"},
    RetiredType{37, "IQ4_NL_4_8"},  RetiredType{38, "IQ4_NL_8_8"},
};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::span<const TensorTypeInfo> all_tensor_types() { return kTensorTypes; }

std::optional<TensorTypeInfo> find_tensor_type(std::uint32_t ggml_id) {
    for (const auto& info : kTensorTypes) {
        if (info.ggml_id == ggml_id) return info;
    }
    return std::nullopt;
}

const TensorTypeInfo& tensor_type_info(TensorType type) {
    for (const auto& info : kTensorTypes) {
        if (info.type == type) return info;
    }
    INHOUSE_CHECK(false, "tensor type id {} not in the table", static_cast<std::uint32_t>(type));
    __builtin_unreachable();
}

std::string_view tensor_type_name(TensorType type) { return tensor_type_info(type).name; }

std::optional<TensorType> parse_tensor_type(std::string_view name) {
    for (const auto& info : kTensorTypes) {
        if (equals_ignoring_case(info.name, name)) return info.type;
    }
    return std::nullopt;
}

std::optional<std::string_view> retired_tensor_type_name(std::uint32_t ggml_id) {
    for (const auto& retired : kRetiredTypes) {
        if (retired.ggml_id == ggml_id) return retired.name;
    }
    return std::nullopt;
}

double bits_per_element(TensorType type) {
    const auto& info = tensor_type_info(type);
    return 8.0 * info.block_size_bytes / info.block_size;
}

}  // namespace inhouse::gguf
