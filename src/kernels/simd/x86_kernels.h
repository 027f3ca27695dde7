// Declares a type's x86 kernels (its quant/<type>/x86.cpp, built once per level) in
// namespaces avx2 and avx512: the dot product and the tiled many-row, many-token product.
#pragma once

#include <cstddef>
#include <cstdint>

#define INHOUSE_DECLARE_X86_KERNELS_IN(level, type)                                                         \
    namespace level {                                                                                       \
    float dot_##type(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;        \
    void gemm_##type(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,           \
                     std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,        \
                     std::int64_t y_stride) noexcept;                                                       \
    }

#define INHOUSE_DECLARE_X86_KERNELS(type)          \
    INHOUSE_DECLARE_X86_KERNELS_IN(avx2, type)     \
    INHOUSE_DECLARE_X86_KERNELS_IN(avx512, type)

// Declares an activation type's quantizer per level (QuantizeRowFn; the same bytes as its
// scalar quantize_activations).
#define INHOUSE_DECLARE_X86_ACTIVATION_QUANTIZER(type)                                          \
    namespace avx2 {                                                                            \
    void quantize_activations_##type(const float* src, void* dst, std::int64_t n) noexcept;     \
    }                                                                                           \
    namespace avx512 {                                                                          \
    void quantize_activations_##type(const float* src, void* dst, std::int64_t n) noexcept;     \
    }

// Defines a type's entry points in its x86.cpp from a tiled kernel (simd/tiled_gemm.h).
#define INHOUSE_DEFINE_X86_KERNELS(type, Kernel, rows, tokens)                                                \
    float dot_##type(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {          \
        return tiled_dot<Kernel>(weight_row, activation_row, n);                                              \
    }                                                                                                         \
    void gemm_##type(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,             \
                     std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,          \
                     std::int64_t y_stride) noexcept {                                                        \
        tiled_gemm<Kernel, rows, tokens>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y, y_stride); \
    }

// Defines a type's interleaved entry point in its x86.cpp from a kernel of
// simd/interleaved_gemm.h with its tile shape (G groups × T tokens, G1 groups per single token).
#define INHOUSE_DEFINE_X86_INTERLEAVED_KERNEL(type, Kernel, G, T, G1)                                         \
    void gemm_interleaved_##type(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a, \
                                 std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols,       \
                                 float* y, std::int64_t y_stride) noexcept {                                \
        interleaved_gemm<Kernel, G, T, G1>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y,      \
                                           y_stride);                                                        \
    }

// Declares a type's product over rows interleaved eight at a time (kernels/interleave.h), per
// level: the GemmFn of simd/interleaved_gemm.h, n_rows a multiple of 8.
#define INHOUSE_DECLARE_X86_INTERLEAVED_KERNEL_IN(level, type)                                              \
    namespace level {                                                                                       \
    void gemm_interleaved_##type(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a, \
                                 std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols,       \
                                 float* y, std::int64_t y_stride) noexcept;                                 \
    }

#define INHOUSE_DECLARE_X86_INTERLEAVED_KERNEL(type)      \
    INHOUSE_DECLARE_X86_INTERLEAVED_KERNEL_IN(avx2, type) \
    INHOUSE_DECLARE_X86_INTERLEAVED_KERNEL_IN(avx512, type)

// A type's product on AMX tiles (its amx.cpp; kernels/simd/amx_gemm.h), same signature.
#define INHOUSE_DECLARE_AMX_INTERLEAVED_KERNEL(type) INHOUSE_DECLARE_X86_INTERLEAVED_KERNEL_IN(amx, type)

// Everything a type's interleaved layout provides (its interleaved.h): the layout change both
// ways and the scalar reference product (namespace ref), and the product per x86 level.
#define INHOUSE_DECLARE_INTERLEAVED_KERNELS(type)                                                            \
    namespace ref {                                                                                          \
    void interleave_##type(const void* rows, std::size_t row_bytes, std::int64_t n_cols, void* group) noexcept; \
    void deinterleave_row_##type(const void* group, int lane, std::int64_t n_cols, void* row) noexcept;      \
    void gemm_interleaved_##type(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,  \
                                 std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols,        \
                                 float* y, std::int64_t y_stride) noexcept;                                  \
    }                                                                                                        \
    INHOUSE_DECLARE_X86_INTERLEAVED_KERNEL(type)
