// Matrix multiplication of a weight matrix (any computable type) with a batch of activation
// rows: the activations are quantized once to the type the weights pair with, then every
// weight row is read once and dotted with all the rows of the batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/thread_pool.h"
#include "kernels/tensor_view.h"

namespace inhouse::kernels {

// Scratch bytes matmul needs for `n_tokens` activation rows of `n_cols` elements.
std::size_t matmul_scratch_bytes(gguf::TensorType weight_type, std::int64_t n_cols,
                                 std::int64_t n_tokens);

// y[t][r] = Σ_c w[r][c] · x[t][c]
//   x: [n_tokens, w.n_cols]   y: [n_tokens, w.n_rows]   (row-major, contiguous)
// `scratch` holds at least matmul_scratch_bytes(w.type, w.n_cols, n_tokens) bytes.
void matmul(const TensorView& w, const float* x, std::int64_t n_tokens, float* y,
            std::span<std::uint8_t> scratch, ThreadPool& pool) noexcept;

// Several matrices applied to the same input (q, k and v; gate and up): when they pair with
// the same activation type the input is quantized once and all their rows are split among
// the threads in one pass; otherwise they are multiplied one after another. Same results as
// separate matmul calls.
struct MatmulTarget {
    const TensorView* w = nullptr;
    float* y = nullptr;  // [n_tokens, w->n_rows]
};
void matmul_shared_input(std::span<const MatmulTarget> targets, const float* x, std::int64_t n_tokens,
                         std::span<std::uint8_t> scratch, ThreadPool& pool) noexcept;

// out[c] = w[row][c], dequantized: an embedding lookup.
void get_row(const TensorView& w, std::int64_t row, float* out) noexcept;

}  // namespace inhouse::kernels
