// Registry-wide: every row's scalar reference dot product (simd_dot_test.cpp checks the SIMD
// kernels against it) against an F32 reference — the weight row and the
// quantized activation row dequantized, then multiplied in double — at odd block counts. A
// new table row is tested here without further code, and fails until its tolerance is
// written down below.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "kernels/quant_table.h"
#include "kernels/test_support.h"

namespace inhouse::kernels {
namespace {

using gguf::TensorType;
using test_support::dequantize;
using test_support::quantize;
using test_support::random_normal;

// Tolerance on |dot - reference| / Σ|w_i · a_i| (w, a the dequantized rows). The reference
// sees exactly the values the kernel multiplies, so the only error is the kernel's own
// rounding. For most types that is float accumulation: measured at most 1.4e-7 (F32, 7
// elements), mostly ~1e-8. The weight types with an offset (Q4_1, Q5_1) also use the fp16
// rounding of the activation block sum s = d·Σq (2^-11 relative) in place of the exact
// sum: measured at most 1.3e-4 (one block; it averages out over more).
const std::map<TensorType, double> kDotTolerances = {
    {TensorType::F32, 1e-6},  {TensorType::F16, 1e-6},  {TensorType::BF16, 1e-6},
    {TensorType::Q8_0, 1e-6}, {TensorType::Q8_1, 1e-6}, {TensorType::Q8_K, 1e-6},
    {TensorType::Q4_0, 1e-6}, {TensorType::Q5_0, 1e-6}, {TensorType::Q2_K, 1e-6},
    {TensorType::Q3_K, 1e-6}, {TensorType::Q4_K, 1e-6}, {TensorType::Q5_K, 1e-6},
    {TensorType::Q6_K, 1e-6}, {TensorType::Q4_1, 5e-4}, {TensorType::Q5_1, 5e-4},
};

struct DotCase {
    QuantKernels kernels;
    int n_blocks;
};

void PrintTo(const DotCase& dot_case, std::ostream* out) {
    *out << gguf::tensor_type_name(dot_case.kernels.type) << " × " << dot_case.n_blocks
         << " blocks";
}

std::string case_name(const ::testing::TestParamInfo<DotCase>& info) {
    return std::string(gguf::tensor_type_name(info.param.kernels.type)) + "_" +
           std::to_string(info.param.n_blocks) + "_blocks";
}

std::vector<DotCase> every_type_and_block_count() {
    std::vector<DotCase> cases;
    for (const auto& kernels : all_quant_kernels()) {
        for (const int n_blocks : {1, 3, 7, 13, 67}) cases.push_back({kernels, n_blocks});
        // The float types have one-element blocks: add rows long enough to use every lane.
        if (gguf::tensor_type_info(kernels.type).block_size == 1) cases.push_back({kernels, 1001});
    }
    return cases;
}

class QuantDot : public ::testing::TestWithParam<DotCase> {};

TEST_P(QuantDot, MatchesTheDequantizedF32Reference) {
    const QuantKernels& kernels = GetParam().kernels;
    const auto tolerance = kDotTolerances.find(kernels.type);
    ASSERT_NE(tolerance, kDotTolerances.end())
        << "no dot tolerance documented for " << gguf::tensor_type_name(kernels.type);
    const std::int64_t n =
        std::int64_t{GetParam().n_blocks} * gguf::tensor_type_info(kernels.type).block_size;
    double worst = 0.0;
    for (std::uint32_t trial = 0; trial < 8; ++trial) {
        // Weights with a non-zero mean, as the offset formats expect; activations centred.
        auto weight_values = random_normal(static_cast<std::size_t>(n), 2 * trial + 1, 0.5f);
        for (float& value : weight_values) value += 0.25f;
        const auto activation_values =
            random_normal(static_cast<std::size_t>(n), 2 * trial + 2, 3.0f);
        const auto weight_row = quantize(kernels.type, weight_values);
        const auto activation_row = quantize(kernels.activation_type, activation_values);

        const auto weights = dequantize(kernels.type, weight_row, n);
        const auto activations = dequantize(kernels.activation_type, activation_row, n);
        const double reference = test_support::dot_in_double(weights, activations);
        const double scale = test_support::sum_of_absolute_products(weights, activations);
        const float result = kernels.dot(weight_row.data(), activation_row.data(), n);
        const double relative_error = std::fabs(result - reference) / scale;
        worst = std::max(worst, relative_error);
        EXPECT_LE(relative_error, tolerance->second)
            << gguf::tensor_type_name(kernels.type) << " n=" << n << " trial " << trial << ": dot "
            << result << ", reference " << reference;
    }
    RecordProperty("worst_relative_error", std::to_string(worst));
    std::printf("[ measured ] %s dot, %lld elements: worst relative error %.3g\n",
                std::string(gguf::tensor_type_name(kernels.type)).c_str(),
                static_cast<long long>(n), worst);
}

TEST_P(QuantDot, IsZeroAgainstZeroActivations) {
    const QuantKernels& kernels = GetParam().kernels;
    const std::int64_t n =
        std::int64_t{GetParam().n_blocks} * gguf::tensor_type_info(kernels.type).block_size;
    const auto weight_row = quantize(kernels.type, random_normal(static_cast<std::size_t>(n), 9));
    const auto activation_row =
        quantize(kernels.activation_type, std::vector<float>(static_cast<std::size_t>(n)));
    EXPECT_EQ(kernels.dot(weight_row.data(), activation_row.data(), n), 0.0f);
}

INSTANTIATE_TEST_SUITE_P(EveryComputableType, QuantDot,
                         ::testing::ValuesIn(every_type_and_block_count()), case_name);

}  // namespace
}  // namespace inhouse::kernels
