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
#include "kernels/quant/q4_0/interleaved.h"
#include "kernels/quant/q4_1/block.h"
#include "kernels/quant/q4_1/interleaved.h"
#include "kernels/quant/q4_k/block.h"
#include "kernels/quant/q4_k/interleaved.h"
#include "kernels/quant/q5_0/block.h"
#include "kernels/quant/q5_0/interleaved.h"
#include "kernels/quant/q5_1/block.h"
#include "kernels/quant/q5_k/block.h"
#include "kernels/quant/q6_k/block.h"
#include "kernels/quant/q6_k/interleaved.h"
#include "kernels/quant/q8_0/block.h"
#include "kernels/quant/q8_0/interleaved.h"
#include "kernels/quant/q8_1/block.h"
#include "kernels/quant/q8_k/block.h"

namespace inhouse::kernels {

namespace {

using gguf::TensorType;

// The table. Activation types follow ggml's vec_dot_type, so that a later SIMD kernel and
// llama.cpp see the same activation bytes.
constexpr std::array kQuantKernels = {
    QuantKernels{.type = TensorType::F32,
                 .activation_type = TensorType::F32,
                 .dequantize_row = ref::dequantize_row_f32,
                 .quantize_row = ref::quantize_row_f32,
                 .dot = ref::dot_f32,
                 .quantize_activations = ref::quantize_row_f32,
                 .simd_dot = {},
                 .interleaved = {}},
    QuantKernels{.type = TensorType::F16,
                 .activation_type = TensorType::F16,
                 .dequantize_row = ref::dequantize_row_f16,
                 .quantize_row = ref::quantize_row_f16,
                 .dot = ref::dot_f16,
                 .quantize_activations = ref::quantize_row_f16,
                 .simd_dot = {},
                 .interleaved = {}},
    QuantKernels{.type = TensorType::BF16,
                 .activation_type = TensorType::BF16,
                 .dequantize_row = ref::dequantize_row_bf16,
                 .quantize_row = ref::quantize_row_bf16,
                 .dot = ref::dot_bf16,
                 .quantize_activations = ref::quantize_row_bf16,
                 .simd_dot = {},
                 .interleaved = {}},
    QuantKernels{.type = TensorType::Q8_0,
                 .activation_type = TensorType::Q8_0,
                 .dequantize_row = ref::dequantize_row_q8_0,
                 .quantize_row = ref::quantize_row_q8_0,
                 .dot = ref::dot_q8_0,
                 .quantize_activations = ref::quantize_activations_q8_0,
                 .simd_dot = {.avx2 = avx2::dot_q8_0,
                              .avx512 = avx512::dot_q8_0,
                              .gemm_avx2 = avx2::gemm_q8_0,
                              .gemm_avx512 = avx512::gemm_q8_0,
                              .quantize_activations_avx2 = avx2::quantize_activations_q8_0,
                              .quantize_activations_avx512 = avx512::quantize_activations_q8_0},
                 .interleaved = {.group_block_bytes = sizeof(GroupBlockQ8_0),
                                 .interleave = ref::interleave_q8_0,
                                 .deinterleave_row = ref::deinterleave_row_q8_0,
                                 .gemm = ref::gemm_interleaved_q8_0,
                                 .gemm_avx2 = avx2::gemm_interleaved_q8_0,
                                 .gemm_avx512 = avx512::gemm_interleaved_q8_0,
                                 .gemm_amx = amx::gemm_interleaved_q8_0}},
    QuantKernels{.type = TensorType::Q8_1,
                 .activation_type = TensorType::Q8_1,
                 .dequantize_row = ref::dequantize_row_q8_1,
                 .quantize_row = ref::quantize_row_q8_1,
                 .dot = ref::dot_q8_1,
                 .quantize_activations = ref::quantize_activations_q8_1,
                 .simd_dot = {},
                 .interleaved = {}},
    QuantKernels{.type = TensorType::Q4_0,
                 .activation_type = TensorType::Q8_0,
                 .dequantize_row = ref::dequantize_row_q4_0,
                 .quantize_row = ref::quantize_row_q4_0,
                 .dot = ref::dot_q4_0,
                 .simd_dot = {.avx2 = avx2::dot_q4_0,
                              .avx512 = avx512::dot_q4_0,
                              .gemm_avx2 = avx2::gemm_q4_0,
                              .gemm_avx512 = avx512::gemm_q4_0},
                 .interleaved = {.group_block_bytes = sizeof(GroupBlockQ4_0),
                                 .interleave = ref::interleave_q4_0,
                                 .deinterleave_row = ref::deinterleave_row_q4_0,
                                 .gemm = ref::gemm_interleaved_q4_0,
                                 .gemm_avx2 = avx2::gemm_interleaved_q4_0,
                                 .gemm_avx512 = avx512::gemm_interleaved_q4_0,
                                 .gemm_amx = amx::gemm_interleaved_q4_0}},
    QuantKernels{.type = TensorType::Q4_1,
                 .activation_type = TensorType::Q8_1,
                 .dequantize_row = ref::dequantize_row_q4_1,
                 .quantize_row = ref::quantize_row_q4_1,
                 .dot = ref::dot_q4_1,
                 .simd_dot = {.avx2 = avx2::dot_q4_1,
                              .avx512 = avx512::dot_q4_1,
                              .gemm_avx2 = avx2::gemm_q4_1,
                              .gemm_avx512 = avx512::gemm_q4_1},
                 .interleaved = {.group_block_bytes = sizeof(GroupBlockQ4_1),
                                 .interleave = ref::interleave_q4_1,
                                 .deinterleave_row = ref::deinterleave_row_q4_1,
                                 .gemm = ref::gemm_interleaved_q4_1,
                                 .gemm_avx2 = avx2::gemm_interleaved_q4_1,
                                 .gemm_avx512 = avx512::gemm_interleaved_q4_1,
                                 .gemm_amx = amx::gemm_interleaved_q4_1}},
    QuantKernels{.type = TensorType::Q5_0,
                 .activation_type = TensorType::Q8_0,
                 .dequantize_row = ref::dequantize_row_q5_0,
                 .quantize_row = ref::quantize_row_q5_0,
                 .dot = ref::dot_q5_0,
                 .simd_dot = {.avx2 = avx2::dot_q5_0,
                              .avx512 = avx512::dot_q5_0,
                              .gemm_avx2 = avx2::gemm_q5_0,
                              .gemm_avx512 = avx512::gemm_q5_0},
                 .interleaved = {.group_block_bytes = sizeof(GroupBlockQ5_0),
                                 .interleave = ref::interleave_q5_0,
                                 .deinterleave_row = ref::deinterleave_row_q5_0,
                                 .gemm = ref::gemm_interleaved_q5_0,
                                 .gemm_avx2 = avx2::gemm_interleaved_q5_0,
                                 .gemm_avx512 = avx512::gemm_interleaved_q5_0,
                                 .gemm_amx = amx::gemm_interleaved_q5_0}},
    QuantKernels{.type = TensorType::Q5_1,
                 .activation_type = TensorType::Q8_1,
                 .dequantize_row = ref::dequantize_row_q5_1,
                 .quantize_row = ref::quantize_row_q5_1,
                 .dot = ref::dot_q5_1,
                 .simd_dot = {},
                 .interleaved = {}},
    QuantKernels{.type = TensorType::Q2_K,
                 .activation_type = TensorType::Q8_K,
                 .dequantize_row = ref::dequantize_row_q2_k,
                 .quantize_row = ref::quantize_row_q2_k,
                 .dot = ref::dot_q2_k,
                 .simd_dot = {},
                 .interleaved = {}},
    QuantKernels{.type = TensorType::Q3_K,
                 .activation_type = TensorType::Q8_K,
                 .dequantize_row = ref::dequantize_row_q3_k,
                 .quantize_row = ref::quantize_row_q3_k,
                 .dot = ref::dot_q3_k,
                 .simd_dot = {},
                 .interleaved = {}},
    QuantKernels{.type = TensorType::Q4_K,
                 .activation_type = TensorType::Q8_K,
                 .dequantize_row = ref::dequantize_row_q4_k,
                 .quantize_row = ref::quantize_row_q4_k,
                 .dot = ref::dot_q4_k,
                 .simd_dot = {.avx2 = avx2::dot_q4_k,
                              .avx512 = avx512::dot_q4_k,
                              .gemm_avx2 = avx2::gemm_q4_k,
                              .gemm_avx512 = avx512::gemm_q4_k},
                 .interleaved = {.group_block_bytes = sizeof(GroupBlockQ4_K),
                                 .interleave = ref::interleave_q4_k,
                                 .deinterleave_row = ref::deinterleave_row_q4_k,
                                 .gemm = ref::gemm_interleaved_q4_k,
                                 .gemm_avx2 = avx2::gemm_interleaved_q4_k,
                                 .gemm_avx512 = avx512::gemm_interleaved_q4_k,
                                 .gemm_amx = amx::gemm_interleaved_q4_k}},
    QuantKernels{.type = TensorType::Q5_K,
                 .activation_type = TensorType::Q8_K,
                 .dequantize_row = ref::dequantize_row_q5_k,
                 .quantize_row = ref::quantize_row_q5_k,
                 .dot = ref::dot_q5_k,
                 .simd_dot = {},
                 .interleaved = {}},
    QuantKernels{.type = TensorType::Q6_K,
                 .activation_type = TensorType::Q8_K,
                 .dequantize_row = ref::dequantize_row_q6_k,
                 .quantize_row = ref::quantize_row_q6_k,
                 .dot = ref::dot_q6_k,
                 .simd_dot = {.avx2 = avx2::dot_q6_k,
                              .avx512 = avx512::dot_q6_k,
                              .gemm_avx2 = avx2::gemm_q6_k,
                              .gemm_avx512 = avx512::gemm_q6_k},
                 .interleaved = {.group_block_bytes = sizeof(GroupBlockQ6_K),
                                 .interleave = ref::interleave_q6_k,
                                 .deinterleave_row = ref::deinterleave_row_q6_k,
                                 .gemm = ref::gemm_interleaved_q6_k,
                                 .gemm_avx2 = avx2::gemm_interleaved_q6_k,
                                 .gemm_avx512 = avx512::gemm_interleaved_q6_k,
                                 .gemm_amx = amx::gemm_interleaved_q6_k}},
    QuantKernels{.type = TensorType::Q8_K,
                 .activation_type = TensorType::Q8_K,
                 .dequantize_row = ref::dequantize_row_q8_k,
                 .quantize_row = ref::quantize_row_q8_k,
                 .dot = ref::dot_q8_k,
                 .quantize_activations = ref::quantize_row_q8_k,
                 .simd_dot = {.quantize_activations_avx2 = avx2::quantize_activations_q8_k,
                              .quantize_activations_avx512 = avx512::quantize_activations_q8_k},
                 .interleaved = {}},
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

const QuantKernels* find_quant_kernels(TensorType type) noexcept { return find_row(type); }

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

namespace {

// One level's function of a table row: AMX CPUs run the AVX-512 ones (their tiles only serve
// the interleaved products).
template <typename Fn>
Fn at_level(SimdLevel level, Fn scalar, Fn avx2, Fn avx512) noexcept {
    switch (level) {
        case SimdLevel::kScalar: return scalar;
        case SimdLevel::kAvx2: return avx2;
        case SimdLevel::kAvx512:
        case SimdLevel::kAmx: return avx512;
    }
    return nullptr;
}

}  // namespace

QuantizeRowFn quantize_activations_kernel_at(TensorType type, SimdLevel level) noexcept {
    const QuantKernels& row = row_of(type);
    return at_level(level, row.quantize_activations, row.simd_dot.quantize_activations_avx2,
                    row.simd_dot.quantize_activations_avx512);
}

float dot(TensorType weight_type, const void* weight_row, const void* activation_row,
          std::int64_t n) noexcept {
    check_row_length(weight_type, n);
    return dot_kernel(weight_type)(weight_row, activation_row, n);
}

DotFn dot_kernel_at(TensorType weight_type, SimdLevel level) noexcept {
    const QuantKernels& row = row_of(weight_type);
    return at_level(level, row.dot, row.simd_dot.avx2, row.simd_dot.avx512);
}

GemmFn gemm_kernel_at(TensorType weight_type, SimdLevel level) noexcept {
    const QuantKernels& row = row_of(weight_type);
    return at_level<GemmFn>(level, nullptr, row.simd_dot.gemm_avx2, row.simd_dot.gemm_avx512);
}

// The kernels dot() and matmul use, resolved once per type: the best level the CPU (and
// INHOUSE_KERNELS) allows that has a dot product, and that level's tiled product, so that the
// two agree bit for bit.
namespace {

struct ResolvedKernels {
    QuantizeRowFn quantize_activations = nullptr;
    DotFn dot = nullptr;
    GemmFn gemm = nullptr;
    GemmFn interleaved_gemm = nullptr;
};

const ResolvedKernels& resolved(TensorType weight_type) noexcept {
    static const std::array<ResolvedKernels, kIdLimit> kResolved = [] {
        std::array<ResolvedKernels, kIdLimit> table{};
        for (const auto& row : kQuantKernels) {
            ResolvedKernels best{.quantize_activations = row.quantize_activations,
                                 .dot = row.dot,
                                 .gemm = nullptr,
                                 .interleaved_gemm = nullptr};
            for (const SimdLevel level : {SimdLevel::kAvx2, SimdLevel::kAvx512, SimdLevel::kAmx}) {
                if (level > simd_level()) continue;
                if (const QuantizeRowFn quantize = quantize_activations_kernel_at(row.type, level)) {
                    best.quantize_activations = quantize;
                }
                if (dot_kernel_at(row.type, level) != nullptr) {
                    best.dot = dot_kernel_at(row.type, level);
                    best.gemm = gemm_kernel_at(row.type, level);
                }
                if (const GemmFn interleaved = interleaved_gemm_kernel_at(row.type, level)) {
                    best.interleaved_gemm = interleaved;
                }
            }
            table[static_cast<std::uint32_t>(row.type)] = best;
        }
        return table;
    }();
    return kResolved[static_cast<std::uint32_t>(row_of(weight_type).type)];
}

}  // namespace

void quantize_activations(TensorType type, const float* src, void* dst, std::int64_t n) noexcept {
    check_row_length(type, n);
    const QuantizeRowFn quantize = resolved(type).quantize_activations;
    INHOUSE_CHECK(quantize != nullptr, "{} is not an activation type", gguf::tensor_type_name(type));
    quantize(src, dst, n);
}

DotFn dot_kernel(TensorType weight_type) noexcept { return resolved(weight_type).dot; }

GemmFn gemm_kernel(TensorType weight_type) noexcept { return resolved(weight_type).gemm; }

GemmFn interleaved_gemm_kernel(TensorType weight_type) noexcept { return resolved(weight_type).interleaved_gemm; }

GemmFn interleaved_gemm_kernel_at(TensorType weight_type, SimdLevel level) noexcept {
    const InterleavedKernels& kernels = row_of(weight_type).interleaved;
    switch (level) {
        case SimdLevel::kScalar: return kernels.gemm;
        case SimdLevel::kAvx2: return kernels.gemm_avx2;
        case SimdLevel::kAvx512: return kernels.gemm_avx512;
        case SimdLevel::kAmx: return kernels.gemm_amx;
    }
    return nullptr;
}

InterleaveFn interleave_kernel(TensorType weight_type) noexcept { return row_of(weight_type).interleaved.interleave; }

DeinterleaveRowFn deinterleave_row_kernel(TensorType weight_type) noexcept {
    return row_of(weight_type).interleaved.deinterleave_row;
}

std::size_t interleaved_row_size_bytes(TensorType weight_type, std::int64_t n) noexcept {
    check_row_length(weight_type, n);
    const std::size_t group_bytes = row_of(weight_type).interleaved.group_block_bytes;
    INHOUSE_DCHECK(group_bytes % 8 == 0, "{} has no interleaved layout", gguf::tensor_type_name(weight_type));
    return static_cast<std::size_t>(n) / block_geometry(weight_type).block_size * (group_bytes / 8);
}

std::size_t row_size_bytes(TensorType type, std::int64_t n) noexcept {
    check_row_length(type, n);
    const BlockGeometry geometry = block_geometry(type);
    return static_cast<std::size_t>(n) / geometry.block_size * geometry.block_size_bytes;
}

}  // namespace inhouse::kernels
