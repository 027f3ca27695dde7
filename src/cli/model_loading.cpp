#include "cli/model_loading.h"

#include "store/model_ref.h"
#include "store/model_store.h"

namespace inhouse::cli {

Result<std::unique_ptr<gguf::GgufFile>> open_model_file(const std::string& reference) {
    INHOUSE_ASSIGN_OR_RETURN(const auto store, store::ModelStore::open(store::ModelStore::default_home()));
    INHOUSE_ASSIGN_OR_RETURN(const auto resolved, store::resolve_model(store, reference));
    INHOUSE_ASSIGN_OR_RETURN(auto file, gguf::GgufFile::open(resolved.path));
    return std::make_unique<gguf::GgufFile>(std::move(file));
}

Result<LoadedTokenizer> load_tokenizer(const std::string& reference) {
    INHOUSE_ASSIGN_OR_RETURN(auto file, open_model_file(reference));
    INHOUSE_ASSIGN_OR_RETURN(auto tokenizer, tokenizer::Tokenizer::load(*file));
    return LoadedTokenizer{.file = std::move(file), .tokenizer = std::move(tokenizer)};
}

Result<LoadedModel> load_model(const std::string& reference, const MemoryRequest& memory) {
    INHOUSE_ASSIGN_OR_RETURN(auto file, open_model_file(reference));
    INHOUSE_RETURN_IF_ERROR(check_memory_fits(*file, memory));
    std::shared_ptr<const gguf::GgufFile> shared(std::move(file));
    INHOUSE_ASSIGN_OR_RETURN(auto tokenizer, tokenizer::Tokenizer::load(*shared));
    INHOUSE_ASSIGN_OR_RETURN(auto model, model::Model::load(shared));
    return LoadedModel{.model = std::move(model), .tokenizer = std::move(tokenizer)};
}

}  // namespace inhouse::cli
