#include "gguf/model_summary.h"

#include <array>

namespace inhouse::gguf {

namespace {

struct FileTypeName {
    std::uint64_t id;
    std::string_view name;
};

// llama.cpp's llama_ftype values, which converters write to general.file_type.
constexpr std::array kFileTypes = {
    FileTypeName{0, "F32"},      FileTypeName{1, "F16"},      FileTypeName{2, "Q4_0"},
    FileTypeName{3, "Q4_1"},     FileTypeName{7, "Q8_0"},     FileTypeName{8, "Q5_0"},
    FileTypeName{9, "Q5_1"},     FileTypeName{10, "Q2_K"},    FileTypeName{11, "Q3_K_S"},
    FileTypeName{12, "Q3_K_M"},  FileTypeName{13, "Q3_K_L"},  FileTypeName{14, "Q4_K_S"},
    FileTypeName{15, "Q4_K_M"},  FileTypeName{16, "Q5_K_S"},  FileTypeName{17, "Q5_K_M"},
    FileTypeName{18, "Q6_K"},    FileTypeName{19, "IQ2_XXS"}, FileTypeName{20, "IQ2_XS"},
    FileTypeName{21, "Q2_K_S"},  FileTypeName{22, "IQ3_XS"},  FileTypeName{23, "IQ3_XXS"},
    FileTypeName{24, "IQ1_S"},   FileTypeName{25, "IQ4_NL"},  FileTypeName{26, "IQ3_S"},
    FileTypeName{27, "IQ3_M"},   FileTypeName{28, "IQ2_S"},   FileTypeName{29, "IQ2_M"},
    FileTypeName{30, "IQ4_XS"},  FileTypeName{31, "IQ1_M"},   FileTypeName{32, "BF16"},
    FileTypeName{36, "TQ1_0"},   FileTypeName{37, "TQ2_0"},   FileTypeName{38, "MXFP4"},
};

}  // namespace

std::optional<std::string> file_type_name(std::uint64_t file_type) {
    for (const auto& entry : kFileTypes) {
        if (entry.id == file_type) return std::string(entry.name);
    }
    return std::nullopt;
}

std::optional<std::uint64_t> get_arch_uint(const GgufFile& file, std::string_view suffix) {
    return file.get_uint(fmt::format("{}.{}", file.architecture(), suffix));
}

ModelSummary summarize(const GgufFile& file) {
    ModelSummary summary;
    summary.architecture = std::string(file.architecture());
    summary.name = std::string(file.get_string("general.name").value_or(""));
    summary.file_size_bytes = file.size_bytes();
    for (const auto& tensor : file.tensors()) {
        auto& usage = summary.type_mix[std::string(tensor_type_name(tensor.type))];
        usage.n_tensors += 1;
        usage.n_elements += tensor.n_elements;
        usage.size_bytes += tensor.size_bytes;
        summary.n_parameters += tensor.n_elements;
        summary.tensor_bytes += tensor.size_bytes;
    }
    if (summary.n_parameters > 0) {
        summary.bits_per_weight = 8.0 * summary.tensor_bytes / summary.n_parameters;
    }
    if (const auto file_type = file.get_uint("general.file_type")) {
        summary.quantization = file_type_name(*file_type).value_or("");
    }
    if (summary.quantization.empty()) {
        std::uint64_t most_bytes = 0;
        for (const auto& [type_name, usage] : summary.type_mix) {
            if (usage.size_bytes > most_bytes) {
                most_bytes = usage.size_bytes;
                summary.quantization = type_name;
            }
        }
    }
    return summary;
}

}  // namespace inhouse::gguf
