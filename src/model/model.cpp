#include "model/model.h"

#include "core/mmap_file.h"
#include "kernels/interleave.h"
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
    INHOUSE_RETURN_IF_ERROR(model->interleave_weights());
    return model;
}

Status Model::interleave_weights() {
    std::vector<TensorView*> chosen;
    std::size_t total_bytes = 0;
    for (TensorView* view : matmul_weights(weights_)) {
        if (!kernels::should_interleave(*view)) continue;
        chosen.push_back(view);
        total_bytes += kernels::interleaved_size_bytes(*view);
    }
    if (chosen.empty()) return {};
    INHOUSE_ASSIGN_OR_RETURN(interleaved_, HugePageBuffer::allocate(total_bytes));
    std::size_t offset = 0;
    for (TensorView* view : chosen) {
        const TensorView original = *view;
        *view = kernels::interleave(original, interleaved_.data() + offset);
        // A tied output matrix is still the embedding table: lookups fault its pages back in.
        drop_resident_pages({original.data, static_cast<std::size_t>(original.n_rows) * original.row_size_bytes});
        offset += kernels::interleaved_size_bytes(original);
    }
    return {};
}

}  // namespace inhouse::model
