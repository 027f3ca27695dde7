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
    INHOUSE_RETURN_IF_ERROR(model->take_weights_from_file());
    return model;
}

Status Model::take_weights_from_file() {
    INHOUSE_RETURN_IF_ERROR(interleave_matrices());
    copy_vectors();
    drop_tensor_pages();
    return {};
}

Status Model::interleave_matrices() {
    std::vector<TensorView*> chosen;
    std::size_t total_bytes = 0;
    for (TensorView* view : matmul_weights(weights_)) {
        if (!kernels::should_interleave(*view)) continue;
        chosen.push_back(view);
        total_bytes += kernels::interleaved_size_bytes(*view);
    }
    if (chosen.empty()) return {};
    const bool tied = weights_.output.data == weights_.token_embd.data;
    INHOUSE_ASSIGN_OR_RETURN(interleaved_, HugePageBuffer::allocate(total_bytes));
    // A few MiB at a time, each slice's original pages dropped once copied, so loading never
    // holds a whole matrix twice (the tied embedding of a large vocabulary is hundreds of MiB).
    constexpr std::size_t kSliceBytes = 8u << 20;
    std::size_t offset = 0;
    for (TensorView* view : chosen) {
        const TensorView original = *view;
        const std::size_t out_bytes = kernels::interleaved_size_bytes(original);
        const std::size_t out_row_bytes = out_bytes / static_cast<std::size_t>(original.n_rows);
        const std::int64_t slice_rows =
            std::max<std::int64_t>(1, static_cast<std::int64_t>(kSliceBytes / original.row_size_bytes) /
                                          kernels::kInterleavedRows) *
            kernels::kInterleavedRows;
        for (std::int64_t first = 0; first < original.n_rows; first += slice_rows) {
            TensorView slice = original;
            slice.n_rows = std::min(slice_rows, original.n_rows - first);
            slice.data = original.row(first);
            kernels::interleave(slice, interleaved_.data() + offset + static_cast<std::size_t>(first) * out_row_bytes);
            if (file_->is_mapped()) {
                drop_resident_pages({slice.data, static_cast<std::size_t>(slice.n_rows) * slice.row_size_bytes});
            }
        }
        *view = original;
        view->data = interleaved_.data() + offset;
        view->row_size_bytes = out_row_bytes;
        view->interleaved_rows = kernels::kInterleavedRows;
        offset += out_bytes;
    }
    // A tied embedding table is the output matrix: lookups read the copy (kernels::get_row
    // de-interleaves a row) rather than fault the file's pages back in beside it.
    if (tied && weights_.output.interleaved_rows != 0) weights_.token_embd = weights_.output;
    return {};
}

void Model::copy_vectors() {
    const std::vector<TensorView*> vectors = vector_weights(weights_);
    std::size_t n_floats = 0;
    for (const TensorView* view : vectors) n_floats += static_cast<std::size_t>(view->n_cols);
    vectors_.resize(n_floats);
    std::size_t next = 0;
    for (TensorView* view : vectors) {
        std::copy_n(view->as_f32(), view->n_cols, vectors_.data() + next);
        view->data = reinterpret_cast<const std::uint8_t*>(vectors_.data() + next);
        next += static_cast<std::size_t>(view->n_cols);
    }
}

void Model::drop_tensor_pages() {
    // The file may sit in the page cache as 2 MiB pages, mapped whole by any touch (a norm read
    // would map the 2 MiB around it): drop the tensor region from a 2 MiB boundary on. What is
    // still read from the file (an untied embedding table, matrices with no interleaved kernel)
    // comes back as it is touched.
    const auto& tensors = file_->tensors();
    if (!file_->is_mapped() || tensors.empty()) return;
    constexpr std::uintptr_t kHugePage = 2u << 20;
    const std::uint8_t* first = tensors.front().data.data();
    const std::uint8_t* last = first + tensors.front().data.size();
    for (const auto& info : tensors) {
        first = std::min(first, info.data.data());
        last = std::max(last, info.data.data() + info.data.size());
    }
    const auto file_begin = reinterpret_cast<std::uintptr_t>(file_->bytes().data());
    const auto begin = std::max(file_begin, reinterpret_cast<std::uintptr_t>(first) / kHugePage * kHugePage);
    const auto length = static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(last) - begin);
    drop_resident_pages({reinterpret_cast<const std::uint8_t*>(begin), length});
}

}  // namespace inhouse::model
