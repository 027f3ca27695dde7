#include "model/model.h"

#include "model/arch/registry.h"

namespace inhouse::model {

Result<std::unique_ptr<Model>> Model::load(const std::string& path) {
    INHOUSE_ASSIGN_OR_RETURN(auto file, gguf::GgufFile::open(path));
    return load(std::make_shared<const gguf::GgufFile>(std::move(file)));
}

Result<std::unique_ptr<Model>> Model::load(std::shared_ptr<const gguf::GgufFile> file) {
    INHOUSE_ASSIGN_OR_RETURN(const ArchSpec* spec, find_architecture(*file));
    auto model = std::unique_ptr<Model>(new Model());
    INHOUSE_ASSIGN_OR_RETURN(model->hparams_, spec->load_hparams(*file));
    INHOUSE_ASSIGN_OR_RETURN(model->weights_, bind_weights(*file, model->hparams_));
    model->file_ = std::move(file);
    return model;
}

}  // namespace inhouse::model
