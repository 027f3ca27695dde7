// The computable tensor types and their reference kernels, one table row per type: how to
// dequantize and quantize a row, and the dot product of a weight row with an activation row
// already quantized to the type's activation type (ggml's vec_dot_type).
//
// These are the hot-loop entry points: noexcept, no Result. Their inputs were validated when
// the model was loaded; breaking a precondition is a bug and trips a (D)CHECK.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "gguf/tensor_type.h"
#include "kernels/simd/cpu_features.h"

namespace inhouse::kernels {

// n is the number of elements in the row, a multiple of the type's block size.
using DequantizeRowFn = void (*)(const void* src, float* dst, std::int64_t n) noexcept;
using QuantizeRowFn = void (*)(const float* src, void* dst, std::int64_t n) noexcept;
using DotFn = float (*)(const void* weight_row, const void* activation_row,
                        std::int64_t n) noexcept;

// y[t · y_stride + r] = weight row r · activation row t, for r < n_rows and t < n_tokens.
using GemmFn = void (*)(const void* weights, std::size_t weight_row_bytes, std::int64_t n_rows,
                        const void* activations, std::size_t activation_row_bytes, std::int64_t n_tokens,
                        std::int64_t n_cols, float* y, std::int64_t y_stride) noexcept;

// SIMD versions of `dot`, null where a level has none (the scalar one is used instead), and
// tiled many-row, many-token products where a type has them (bit-identical to its dot). For
// an activation type, SIMD versions of its quantize_activations (the same bytes).
struct SimdDots {
    DotFn avx2 = nullptr;
    DotFn avx512 = nullptr;
    GemmFn gemm_avx2 = nullptr;
    GemmFn gemm_avx512 = nullptr;
    QuantizeRowFn quantize_activations_avx2 = nullptr;
    QuantizeRowFn quantize_activations_avx512 = nullptr;
};

// Weight rows interleaved eight at a time (kernels/interleave.h), for the types that have a
// kernel for them: the layout change, its scalar reference product and the SIMD ones (bit for
// bit the reference).
using InterleaveFn = void (*)(const void* rows, std::size_t row_bytes, std::int64_t n_cols, void* group) noexcept;
// Row `lane` (< 8) of an interleaved group back in the type's own blocks (an embedding lookup
// in a matrix tied to the interleaved output).
using DeinterleaveRowFn = void (*)(const void* group, int lane, std::int64_t n_cols, void* row) noexcept;
struct InterleavedKernels {
    // Bytes of eight rows' block column once interleaved (8 × the block's bytes, or more where
    // the layout unpacks scales).
    std::size_t group_block_bytes = 0;
    InterleaveFn interleave = nullptr;  // eight rows, row_bytes apart → their interleaved groups
    DeinterleaveRowFn deinterleave_row = nullptr;
    GemmFn gemm = nullptr;              // the reference; n_rows a multiple of 8
    GemmFn gemm_avx2 = nullptr;
    GemmFn gemm_avx512 = nullptr;
    GemmFn gemm_amx = nullptr;          // batches on AMX tiles, the rest through gemm_avx512
};

struct QuantKernels {
    gguf::TensorType type = gguf::TensorType::F32;
    gguf::TensorType activation_type = gguf::TensorType::F32;  // what `dot` expects its activation row in
    DequantizeRowFn dequantize_row = nullptr;
    QuantizeRowFn quantize_row = nullptr;
    DotFn dot = nullptr;  // the scalar reference
    // How activations are quantized to this type before a dot product (null when no weight
    // type pairs with it): as llama.cpp does at run time, which for Q8_0/Q8_1 is not quite
    // its reference quantizer (kernels/quant/activation_q8.h).
    QuantizeRowFn quantize_activations = nullptr;
    SimdDots simd_dot;
    InterleavedKernels interleaved;
};

// Every computable type, one row each, in table order.
std::span<const QuantKernels> all_quant_kernels() noexcept;

// The row of `type`, or null when it has no kernels.
const QuantKernels* find_quant_kernels(gguf::TensorType type) noexcept;

// Whether `type` has kernels; the functions below may only be called for such types.
bool is_computable(gguf::TensorType type) noexcept;

// The type activations must be quantized to before dot(weight, …).
gguf::TensorType activation_type(gguf::TensorType weight) noexcept;

// Writes the n floats of a row stored as `type`.
void dequantize_row(gguf::TensorType type, const void* src, float* dst, std::int64_t n) noexcept;

// Encodes n floats as one row of `type` (row_size_bytes(type, n) bytes), rounding as ggml's
// reference quantizers do.
void quantize_row(gguf::TensorType type, const float* src, void* dst, std::int64_t n) noexcept;

// Encodes n floats of an activation row as `type`, an activation type of some weight type,
// with the best level's quantizer (all levels write the same bytes).
void quantize_activations(gguf::TensorType type, const float* src, void* dst,
                          std::int64_t n) noexcept;
// The quantizer of one level, or null where `type` has none there (the scalar one for kScalar).
QuantizeRowFn quantize_activations_kernel_at(gguf::TensorType type, SimdLevel level) noexcept;

// Σ weight[i] · activation[i] over n elements, where activation_row is stored as
// activation_type(weight_type).
float dot(gguf::TensorType weight_type, const void* weight_row, const void* activation_row,
          std::int64_t n) noexcept;

// The dot product kernel dot() uses for `weight_type`: the best level the CPU supports (see
// simd_level()) that has one. Hot loops fetch it once.
DotFn dot_kernel(gguf::TensorType weight_type) noexcept;

// The kernel of one level, or null when the type has none at that level (tests compare each
// with the scalar reference).
DotFn dot_kernel_at(gguf::TensorType weight_type, SimdLevel level) noexcept;

// The tiled product for `weight_type` at the best level, or null when it has none.
GemmFn gemm_kernel(gguf::TensorType weight_type) noexcept;
GemmFn gemm_kernel_at(gguf::TensorType weight_type, SimdLevel level) noexcept;

// The product over interleaved rows at the best level, or null when the type has none at a
// SIMD level this CPU runs (then its rows are not interleaved: the scalar reference is for
// tests). The _at form returns the reference for kScalar.
GemmFn interleaved_gemm_kernel(gguf::TensorType weight_type) noexcept;
GemmFn interleaved_gemm_kernel_at(gguf::TensorType weight_type, SimdLevel level) noexcept;
// The layout change into interleaved groups, or null when the type has no interleaved kernels.
InterleaveFn interleave_kernel(gguf::TensorType weight_type) noexcept;
DeinterleaveRowFn deinterleave_row_kernel(gguf::TensorType weight_type) noexcept;
// Bytes per row of n elements in the interleaved layout (a group of eight takes 8 times that).
std::size_t interleaved_row_size_bytes(gguf::TensorType weight_type, std::int64_t n) noexcept;

// Bytes in a row of n elements of `type` (any type, computable or not).
std::size_t row_size_bytes(gguf::TensorType type, std::int64_t n) noexcept;

}  // namespace inhouse::kernels
