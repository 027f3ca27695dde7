#include "model/model.h"

#include <algorithm>

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
    // A few MiB at a time, each slice's original pages dropped once copied, so loading never
    // holds a whole matrix twice (the tied embedding of a large vocabulary is hundreds of MiB).
    constexpr std::size_t kSliceBytes = 8u << 20;
    std::size_t offset = 0;
    for (TensorView* view : chosen) {
        const TensorView original = *view;
        const std::size_t out_row_bytes = kernels::interleaved_size_bytes(original) / static_cast<std::size_t>(original.n_rows);
        const std::int64_t slice_rows =
            std::max<std::int64_t>(1, static_cast<std::int64_t>(kSliceBytes / original.row_size_bytes) /
                                          kernels::kInterleavedRows) *
            kernels::kInterleavedRows;
        for (std::int64_t first = 0; first < original.n_rows; first += slice_rows) {
            TensorView slice = original;
            slice.n_rows = std::min(slice_rows, original.n_rows - first);
            slice.data = original.row(first);
            kernels::interleave(slice, interleaved_.data() + offset + static_cast<std::size_t>(first) * out_row_bytes);
            // A tied output matrix is still the embedding table: lookups fault its pages back in.
            drop_resident_pages({slice.data, static_cast<std::size_t>(slice.n_rows) * slice.row_size_bytes});
        }
        *view = original;
        view->data = interleaved_.data() + offset;
        view->row_size_bytes = out_row_bytes;
        view->interleaved_rows = kernels::kInterleavedRows;
        offset += kernels::interleaved_size_bytes(original);
    }
    return {};
}

}  // namespace inhouse::model
