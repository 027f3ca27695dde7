// Tensor (quantization) types of GGUF, by ggml id, with their block geometry.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace inhouse::gguf {

enum class TensorType : std::uint32_t {
#define X(name, display, id, block, bytes) name = id,
#include "gguf/tensor_type.def"
#undef X
};

struct TensorTypeInfo {
    TensorType type;
    std::string_view name;
    std::uint32_t ggml_id;
    std::uint32_t block_size;        // elements per block
    std::uint32_t block_size_bytes;  // bytes per block
};

// Every known type, in id order.
std::span<const TensorTypeInfo> all_tensor_types();

// Info for a known type id, or nullopt (unknown or retired id).
std::optional<TensorTypeInfo> find_tensor_type(std::uint32_t ggml_id);

// Info for a type known to exist; the enum cannot hold anything else.
const TensorTypeInfo& tensor_type_info(TensorType type);

std::string_view tensor_type_name(TensorType type);

// Looks a type up by name, case-insensitively ("q4_k" and "Q4_K" both work).
std::optional<TensorType> parse_tensor_type(std::string_view name);

// Name of an id that ggml retired ("Q4_2", …), or nullopt when the id was never retired.
std::optional<std::string_view> retired_tensor_type_name(std::uint32_t ggml_id);

// Bits per element of a type, counting the block's scales (Q4_K: 4.5).
double bits_per_element(TensorType type);

}  // namespace inhouse::gguf
