#include "kernels/quant_table.h"

#include <array>

#include "core/check.h"
#include "kernels/quant/bf16/block.h"
#include "kernels/quant/block_geometry.h"
#include "kernels/quant/f16/block.h"
#include "kernels/quant/f32/block.h"
#include "kernels/quant/q2_k/block.h"
#include "kernels/quant/q3_k/block.h"
#include "kernels/quant/q4_0/block.h"
#include "kernels/quant/q4_1/block.h"
#include "kernels/quant/q4_k/block.h"
#include "kernels/quant/q5_0/block.h"
#include "kernels/quant/q5_1/block.h"
#include "kernels/quant/q5_k/block.h"
#include "kernels/quant/q6_k/block.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/q8_1/block.h"
#include "kernels/quant/q8_k/block.h"

namespace inhouse::kernels {

namespace {

using gguf::TensorType;

// The table. Activation types follow ggml's vec_dot_type, so that a later SIMD kernel and
// llama.cpp see the same activation bytes.
constexpr std::array kQuantKernels = {
    QuantKernels{TensorType::F32, TensorType::F32, ref::dequantize_row_f32, ref::quantize_row_f32,
                 ref::dot_f32,
                 ref::quantize_row_f32},
    QuantKernels{TensorType::F16, TensorType::F16, ref::dequantize_row_f16, ref::quantize_row_f16,
                 ref::dot_f16,
                 ref::quantize_row_f16},
    QuantKernels{TensorType::BF16, TensorType::BF16, ref::dequantize_row_bf16,
                 ref::quantize_row_bf16, ref::dot_bf16,
                 ref::quantize_row_bf16},
    QuantKernels{TensorType::Q8_0, TensorType::Q8_0, ref::dequantize_row_q8_0,
                 ref::quantize_row_q8_0, ref::dot_q8_0,
                 ref::quantize_activations_q8_0},
    QuantKernels{TensorType::Q8_1, TensorType::Q8_1, ref::dequantize_row_q8_1,
                 ref::quantize_row_q8_1, ref::dot_q8_1,
                 ref::quantize_activations_q8_1},
    QuantKernels{TensorType::Q4_0, TensorType::Q8_0, ref::dequantize_row_q4_0,
                 ref::quantize_row_q4_0, ref::dot_q4_0,
                 nullptr},
    QuantKernels{TensorType::Q4_1, TensorType::Q8_1, ref::dequantize_row_q4_1,
                 ref::quantize_row_q4_1, ref::dot_q4_1,
                 nullptr},
    QuantKernels{TensorType::Q5_0, TensorType::Q8_0, ref::dequantize_row_q5_0,
                 ref::quantize_row_q5_0, ref::dot_q5_0,
                 nullptr},
    QuantKernels{TensorType::Q5_1, TensorType::Q8_1, ref::dequantize_row_q5_1,
                 ref::quantize_row_q5_1, ref::dot_q5_1,
                 nullptr},
    QuantKernels{TensorType::Q2_K, TensorType::Q8_K, ref::dequantize_row_q2_k,
                 ref::quantize_row_q2_k, ref::dot_q2_k,
                 nullptr},
    QuantKernels{TensorType::Q3_K, TensorType::Q8_K, ref::dequantize_row_q3_k,
                 ref::quantize_row_q3_k, ref::dot_q3_k,
                 nullptr},
    QuantKernels{TensorType::Q4_K, TensorType::Q8_K, ref::dequantize_row_q4_k,
                 ref::quantize_row_q4_k, ref::dot_q4_k,
                 nullptr},
    QuantKernels{TensorType::Q5_K, TensorType::Q8_K, ref::dequantize_row_q5_k,
                 ref::quantize_row_q5_k, ref::dot_q5_k,
                 nullptr},
    QuantKernels{TensorType::Q6_K, TensorType::Q8_K, ref::dequantize_row_q6_k,
                 ref::quantize_row_q6_k, ref::dot_q6_k,
                 nullptr},
    QuantKernels{TensorType::Q8_K, TensorType::Q8_K, ref::dequantize_row_q8_k,
                 ref::quantize_row_q8_k, ref::dot_q8_k,
                 ref::quantize_row_q8_k},
};

// ggml ids run to 39 today; the static_assert below fails the build if one passes this.
constexpr std::uint32_t kIdLimit = 64;

constexpr bool are_ids_small_and_unique() {
    std::array<bool, kIdLimit> seen{};
    for (const auto& row : kQuantKernels) {
        const auto id = static_cast<std::uint32_t>(row.type);
        if (id >= kIdLimit || seen[id]) return false;
        seen[id] = true;
    }
    return true;
}
static_assert(are_ids_small_and_unique(), "a tensor type is listed twice or its id is >= 64");

// Row index by ggml id, -1 for types without kernels.
constexpr std::array<int, kIdLimit> kRowById = [] {
    std::array<int, kIdLimit> rows{};
    rows.fill(-1);
    for (std::size_t row = 0; row < kQuantKernels.size(); ++row) {
        rows[static_cast<std::uint32_t>(kQuantKernels[row].type)] = static_cast<int>(row);
    }
    return rows;
}();

const QuantKernels* find_row(TensorType type) noexcept {
    const auto id = static_cast<std::uint32_t>(type);
    if (id >= kIdLimit || kRowById[id] < 0) return nullptr;
    return &kQuantKernels[static_cast<std::size_t>(kRowById[id])];
}

const QuantKernels& row_of(TensorType type) noexcept {
    const QuantKernels* row = find_row(type);
    INHOUSE_CHECK(row != nullptr, "tensor type {} has no kernels (check is_computable first)",
                  gguf::tensor_type_name(type));
    return *row;
}

void check_row_length([[maybe_unused]] TensorType type, [[maybe_unused]] std::int64_t n) noexcept {
    INHOUSE_DCHECK(n >= 0 && n % block_geometry(type).block_size == 0,
                   "row of {} elements is not a whole number of {} blocks ({} elements each)", n,
                   gguf::tensor_type_name(type), block_geometry(type).block_size);
}

}  // namespace

std::span<const QuantKernels> all_quant_kernels() noexcept { return kQuantKernels; }

bool is_computable(TensorType type) noexcept { return find_row(type) != nullptr; }

TensorType activation_type(TensorType weight) noexcept { return row_of(weight).activation_type; }

void dequantize_row(TensorType type, const void* src, float* dst, std::int64_t n) noexcept {
    check_row_length(type, n);
    row_of(type).dequantize_row(src, dst, n);
}

void quantize_row(TensorType type, const float* src, void* dst, std::int64_t n) noexcept {
    check_row_length(type, n);
    row_of(type).quantize_row(src, dst, n);
}

void quantize_activations(TensorType type, const float* src, void* dst, std::int64_t n) noexcept {
    check_row_length(type, n);
    const QuantizeRowFn quantize = row_of(type).quantize_activations;
    INHOUSE_CHECK(quantize != nullptr, "{} is not an activation type", gguf::tensor_type_name(type));
    quantize(src, dst, n);
}

float dot(TensorType weight_type, const void* weight_row, const void* activation_row,
          std::int64_t n) noexcept {
    check_row_length(weight_type, n);
    return row_of(weight_type).dot(weight_row, activation_row, n);
}

std::size_t row_size_bytes(TensorType type, std::int64_t n) noexcept {
    check_row_length(type, n);
    const BlockGeometry geometry = block_geometry(type);
    return static_cast<std::size_t>(n) / geometry.block_size * geometry.block_size_bytes;
}

}  // namespace inhouse::kernels
