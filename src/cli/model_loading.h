// Opening what a command's -m/--model names: the store lookup, the mapped file, its parts.
#pragma once

#include <memory>
#include <string>

#include "cli/memory_check.h"
#include "core/result.h"
#include "gguf/gguf_file.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::cli {

// The file comes first: the tokenizer's vocabulary points into its mapping.
struct LoadedTokenizer {
    std::unique_ptr<gguf::GgufFile> file;
    tokenizer::Tokenizer tokenizer;
};

// The model and its tokenizer, sharing one mapping of the file.
struct LoadedModel {
    std::unique_ptr<model::Model> model;
    tokenizer::Tokenizer tokenizer;
};

Result<std::unique_ptr<gguf::GgufFile>> open_model_file(const std::string& reference);
Result<LoadedTokenizer> load_tokenizer(const std::string& reference);
// Refuses, with the numbers, a model that cannot fit with `memory` (cli/memory_check.h) before
// anything large is allocated.
Result<LoadedModel> load_model(const std::string& reference, const MemoryRequest& memory);

}  // namespace inhouse::cli
