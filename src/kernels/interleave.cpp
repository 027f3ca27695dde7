#include "kernels/interleave.h"

#include "core/check.h"
#include "kernels/quant_table.h"

namespace inhouse::kernels {

bool should_interleave(const TensorView& w) noexcept {
    return w.interleaved_rows == 0 && w.n_rows % kInterleavedRows == 0 && is_computable(w.type) &&
           interleave_kernel(w.type) != nullptr && interleaved_gemm_kernel(w.type) != nullptr;
}

std::size_t interleaved_size_bytes(const TensorView& w) noexcept {
    return static_cast<std::size_t>(w.n_rows) * interleaved_row_size_bytes(w.type, w.n_cols);
}

TensorView interleave(const TensorView& w, std::uint8_t* out) noexcept {
    INHOUSE_CHECK(should_interleave(w), "interleave() called on a {} tensor of {} rows",
                  gguf::tensor_type_name(w.type), w.n_rows);
    const InterleaveFn interleave_group = interleave_kernel(w.type);
    const std::size_t out_row_bytes = interleaved_row_size_bytes(w.type, w.n_cols);
    for (std::int64_t row = 0; row < w.n_rows; row += kInterleavedRows) {
        interleave_group(w.row(row), w.row_size_bytes, w.n_cols, out + static_cast<std::size_t>(row) * out_row_bytes);
    }
    TensorView result = w;
    result.data = out;
    result.row_size_bytes = out_row_bytes;
    result.interleaved_rows = kInterleavedRows;
    return result;
}

}  // namespace inhouse::kernels
