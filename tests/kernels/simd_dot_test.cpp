// Every SIMD dot product against the scalar reference of its table row, at every level this
// CPU can run, on random rows of odd lengths: the same integer sums, so they differ only by
// the order of float additions. A level the CPU lacks is skipped (and said so).
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "kernels/quant_table.h"
#include "kernels/test_support.h"

namespace inhouse::kernels {
namespace {

using test_support::quantize;
using test_support::random_normal;

// |simd − scalar| / Σ|w_i · a_i|: float rounding of two summation orders.
constexpr double kTolerance = 2e-6;

struct SimdCase {
    QuantKernels kernels;
    SimdLevel level;
};

void PrintTo(const SimdCase& simd_case, std::ostream* out) {
    *out << gguf::tensor_type_name(simd_case.kernels.type) << " " << simd_level_name(simd_case.level);
}

std::vector<SimdCase> every_simd_kernel() {
    std::vector<SimdCase> cases;
    for (const auto& kernels : all_quant_kernels()) {
        if (kernels.simd_dot.avx2 != nullptr) cases.push_back({kernels, SimdLevel::kAvx2});
        if (kernels.simd_dot.avx512 != nullptr) cases.push_back({kernels, SimdLevel::kAvx512});
    }
    return cases;
}

class SimdDot : public ::testing::TestWithParam<SimdCase> {
protected:
    void SetUp() override {
        if (!cpu_supports(GetParam().level)) {
            GTEST_SKIP() << "this CPU cannot run " << simd_level_name(GetParam().level) << " kernels";
        }
    }
};

TEST_P(SimdDot, MatchesTheScalarReference) {
    const QuantKernels& kernels = GetParam().kernels;
    const DotFn simd = dot_kernel_at(kernels.type, GetParam().level);
    ASSERT_NE(simd, nullptr);
    const int block = static_cast<int>(gguf::tensor_type_info(kernels.type).block_size);
    for (const int n_blocks : {1, 2, 3, 5, 7, 13, 67}) {
        const std::int64_t n = std::int64_t{n_blocks} * block;
        for (std::uint32_t trial = 0; trial < 6; ++trial) {
            auto weights = random_normal(static_cast<std::size_t>(n), 100 + trial, 0.5f);
            auto activations = random_normal(static_cast<std::size_t>(n), 200 + trial, 2.0f);
            // Outliers, as real weights and residual streams have: full-scale levels and
            // extreme sub-block scales.
            for (std::size_t i = trial; i < weights.size(); i += 37) weights[i] *= 40.0f;
            for (std::size_t i = trial; i < activations.size(); i += 53) activations[i] *= -100.0f;
            if (trial % 2 == 1) {
                for (float& w : weights) w += 0.3f;
            }
            const auto weight_row = quantize(kernels.type, weights);
            const auto activation_row = quantize(kernels.activation_type, activations);
            const auto w = test_support::dequantize(kernels.type, weight_row, n);
            const auto a = test_support::dequantize(kernels.activation_type, activation_row, n);
            const double scale = test_support::sum_of_absolute_products(w, a);
            const float expected = kernels.dot(weight_row.data(), activation_row.data(), n);
            const float actual = simd(weight_row.data(), activation_row.data(), n);
            EXPECT_LE(std::fabs(static_cast<double>(actual) - expected) / scale, kTolerance)
                << gguf::tensor_type_name(kernels.type) << " " << simd_level_name(GetParam().level) << " n=" << n
                << " trial " << trial << ": simd " << actual << ", scalar " << expected;
        }
    }
}

TEST_P(SimdDot, IsZeroAgainstZeroActivations) {
    const QuantKernels& kernels = GetParam().kernels;
    const std::int64_t n = 3 * gguf::tensor_type_info(kernels.type).block_size;
    const auto weight_row = quantize(kernels.type, random_normal(static_cast<std::size_t>(n), 9));
    const auto activation_row = quantize(kernels.activation_type, std::vector<float>(static_cast<std::size_t>(n)));
    EXPECT_EQ(dot_kernel_at(kernels.type, GetParam().level)(weight_row.data(), activation_row.data(), n), 0.0f);
}

// The tiled product gives every (row, token) exactly what the dot kernel gives that pair,
// whatever the numbers of rows and tokens (tiles, edges): batching cannot change results.
TEST_P(SimdDot, TiledProductIsBitIdenticalToTheDotForEveryShape) {
    const QuantKernels& kernels = GetParam().kernels;
    const GemmFn gemm = gemm_kernel_at(kernels.type, GetParam().level);
    if (gemm == nullptr) GTEST_SKIP() << "no tiled product for this type";
    const DotFn simd_dot = dot_kernel_at(kernels.type, GetParam().level);
    const std::int64_t n_cols = 5 * gguf::tensor_type_info(kernels.type).block_size;
    for (const std::int64_t n_rows : {1, 2, 3, 4, 5, 7, 9}) {
        for (const std::int64_t n_tokens : {1, 2, 3, 4, 5, 6, 9}) {
            std::vector<std::uint8_t> weights;
            std::vector<std::uint8_t> activations;
            for (std::int64_t r = 0; r < n_rows; ++r) {
                const auto row = quantize(kernels.type, random_normal(static_cast<std::size_t>(n_cols), 300 + r, 0.7f));
                weights.insert(weights.end(), row.begin(), row.end());
            }
            for (std::int64_t t = 0; t < n_tokens; ++t) {
                const auto row = quantize(kernels.activation_type, random_normal(static_cast<std::size_t>(n_cols), 400 + t, 2.0f));
                activations.insert(activations.end(), row.begin(), row.end());
            }
            const std::size_t w_row = weights.size() / static_cast<std::size_t>(n_rows);
            const std::size_t a_row = activations.size() / static_cast<std::size_t>(n_tokens);
            std::vector<float> y(static_cast<std::size_t>(n_rows * n_tokens), -1.0f);
            gemm(weights.data(), w_row, n_rows, activations.data(), a_row, n_tokens, n_cols, y.data(), n_rows);
            for (std::int64_t t = 0; t < n_tokens; ++t) {
                for (std::int64_t r = 0; r < n_rows; ++r) {
                    const float expected = simd_dot(weights.data() + static_cast<std::size_t>(r) * w_row,
                                                    activations.data() + static_cast<std::size_t>(t) * a_row, n_cols);
                    ASSERT_EQ(std::bit_cast<std::uint32_t>(y[static_cast<std::size_t>(t * n_rows + r)]),
                              std::bit_cast<std::uint32_t>(expected))
                        << n_rows << " rows × " << n_tokens << " tokens, row " << r << " token " << t;
                }
            }
        }
    }
}

// The types the benchmark models use all have both levels.
TEST(SimdDot, CoversTheTypesOfTheBenchmarkModels) {
    for (const auto type : {gguf::TensorType::Q4_0, gguf::TensorType::Q4_1, gguf::TensorType::Q5_0,
                            gguf::TensorType::Q8_0, gguf::TensorType::Q4_K, gguf::TensorType::Q6_K}) {
        EXPECT_NE(dot_kernel_at(type, SimdLevel::kAvx2), nullptr) << gguf::tensor_type_name(type);
        EXPECT_NE(dot_kernel_at(type, SimdLevel::kAvx512), nullptr) << gguf::tensor_type_name(type);
    }
}

INSTANTIATE_TEST_SUITE_P(EverySimdKernel, SimdDot, ::testing::ValuesIn(every_simd_kernel()),
                         [](const auto& param_info) {
                             return std::string(gguf::tensor_type_name(param_info.param.kernels.type)) + "_" +
                                    std::string(simd_level_name(param_info.param.level));
                         });

}  // namespace
}  // namespace inhouse::kernels
