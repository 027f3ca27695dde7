#include "kernels/interleave.h"

#include "core/check.h"
#include "kernels/quant_table.h"

namespace inhouse::kernels {

bool should_interleave(const TensorView& w) noexcept {
    return w.interleaved_rows == 0 && w.n_rows % kInterleavedRows == 0 && is_computable(w.type) &&
           interleave_kernel(w.type) != nullptr && interleaved_gemm_kernel(w.type) != nullptr;
}

TensorView interleave(const TensorView& w, std::uint8_t* out) noexcept {
    INHOUSE_CHECK(should_interleave(w), "interleave() called on a {} tensor of {} rows",
                  gguf::tensor_type_name(w.type), w.n_rows);
    const InterleaveFn interleave_group = interleave_kernel(w.type);
    for (std::int64_t row = 0; row < w.n_rows; row += kInterleavedRows) {
        const auto offset = static_cast<std::size_t>(row) * w.row_size_bytes;
        interleave_group(w.data + offset, w.row_size_bytes, w.n_cols, out + offset);
    }
    TensorView result = w;
    result.data = out;
    result.interleaved_rows = kInterleavedRows;
    return result;
}

}  // namespace inhouse::kernels
