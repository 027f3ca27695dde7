// What `inspect` and the model store report about a GGUF file: sizes, the quantization mix
// and the hyperparameters, read from the header only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "gguf/gguf_file.h"

namespace inhouse::gguf {

struct TypeUsage {
    std::uint64_t n_tensors = 0;
    std::uint64_t n_elements = 0;
    std::uint64_t size_bytes = 0;
};

struct ModelSummary {
    std::string architecture;
    std::string name;
    std::uint64_t file_size_bytes = 0;
    std::uint64_t n_parameters = 0;
    std::uint64_t tensor_bytes = 0;
    double bits_per_weight = 0;
    // The quantization people name the file by ("Q4_K_M", "Q4_1"): from general.file_type
    // when present, else the type holding the most bytes.
    std::string quantization;
    std::map<std::string, TypeUsage> type_mix;  // by type name
};

ModelSummary summarize(const GgufFile& file);

// Name of a llama.cpp `general.file_type` value ("MOSTLY_Q4_K_M" → "Q4_K_M").
std::optional<std::string> file_type_name(std::uint64_t file_type);

// `{arch}.{suffix}` as an unsigned integer.
std::optional<std::uint64_t> get_arch_uint(const GgufFile& file, std::string_view suffix);

}  // namespace inhouse::gguf
