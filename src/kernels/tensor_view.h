// A 2-D weight matrix in the model file's own encoding: rows of `n_cols` elements, each row
// `row_size_bytes` long, stored back to back. Views point into the mapped file (zero copy),
// or into a copy whose rows are interleaved for matmul (kernels/interleave.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "gguf/tensor_type.h"

namespace inhouse::kernels {

struct TensorView {
    gguf::TensorType type = gguf::TensorType::F32;
    std::int64_t n_rows = 0;  // outer dimension (GGUF ne[1])
    std::int64_t n_cols = 0;  // elements per row (GGUF ne[0])
    std::size_t row_size_bytes = 0;
    const std::uint8_t* data = nullptr;
    // 0: rows back to back. 8: groups of eight rows interleaved block by block; only matmul
    // reads such a view (row() is meaningless), and a group takes the bytes of its 8 rows.
    std::int32_t interleaved_rows = 0;

    const std::uint8_t* row(std::int64_t index) const {
        return data + static_cast<std::size_t>(index) * row_size_bytes;
    }
    // For 1-D F32 tensors (norm weights): the floats themselves.
    const float* as_f32() const { return reinterpret_cast<const float*>(data); }
    bool empty() const { return data == nullptr; }
};

}  // namespace inhouse::kernels
