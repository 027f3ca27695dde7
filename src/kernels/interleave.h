// Weight matrices re-laid out at load time for the SIMD products: rows interleaved eight at
// a time, block by block (for Q4_1: kernels/quant/q4_1/interleaved.h), so that one register
// holds four consecutive elements of eight rows and a dot with broadcast activations yields
// eight outputs with no horizontal sum. A group of eight rows takes 8 × the view's
// row_size_bytes (for most types the bytes of the rows as stored; the K-quants unpack their
// scales and take a little more). The layout is private to matmul.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/tensor_view.h"

namespace inhouse::kernels {

inline constexpr std::int32_t kInterleavedRows = 8;

// Whether matmul has an interleaved kernel for w's type at this CPU's level and w's shape
// allows the layout (rows a multiple of 8, stored rows back to back).
bool should_interleave(const TensorView& w) noexcept;

// Bytes of w's rows once interleaved.
std::size_t interleaved_size_bytes(const TensorView& w) noexcept;

// Writes w's rows interleaved into `out` (interleaved_size_bytes(w) bytes) and returns the
// view of them; should_interleave(w) must hold.
TensorView interleave(const TensorView& w, std::uint8_t* out) noexcept;

}  // namespace inhouse::kernels
