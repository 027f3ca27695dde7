// The sampling and context flags `run` and `chat` share, named as llama.cpp names them.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/memory_check.h"
#include "engine/text_generator.h"
#include "sampling/sampling_params.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::cli {

struct GenerationOptions {
    std::int32_t n_predict = -1;  // -1: until end of generation or a full context
    std::int64_t n_ctx = 0;
    int n_threads = 0;
    model::KvCacheType kv_type = model::KvCacheType::F16;
    float temperature = 0.8f;
    std::int32_t top_k = 40;
    float top_p = 0.95f;
    float min_p = 0.05f;
    float repeat_penalty = 1.0f;
    std::int32_t repeat_last_n = 64;
    float presence_penalty = 0.0f;
    float frequency_penalty = 0.0f;
    std::optional<std::uint64_t> seed;
    std::vector<std::string> stop;

    engine::GeneratorSettings generator_settings() const;
    // What the model must fit with: one sequence of n_ctx positions.
    MemoryRequest memory_request() const;
    sampling::SamplingParams sampling_params(const tokenizer::Tokenizer& tokenizer) const;
};

void add_generation_options(CLI::App& command, GenerationOptions& options);
// "prompt: N tokens, X tok/s | generation: M tokens, Y tok/s" on stderr.
void print_timings(const engine::GenerationStats& stats, int n_threads);

}  // namespace inhouse::cli
