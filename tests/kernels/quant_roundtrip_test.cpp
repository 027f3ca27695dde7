// Registry-wide: every row of the quant table quantizes and dequantizes random rows within
// its documented error bound. A new table row is tested here without further code, and
// fails until its bound is written down below.
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
using test_support::relative_rms_error;

// Bound on the relative RMS error (sqrt(Σ error² / Σ x²)) of a quantize → dequantize round
// trip of N(0, 1) data, 16 rows of 4096 elements, on the worst row. The comments give the
// RMS over the rows as measured (g++ 12, x86-64) and, in brackets, the worst row; each bound
// leaves about 20% margin over the worst row, so a quantizer that gets clearly worse fails.
// The errors follow the level count over a block's range (~5 σ for 32 Gaussian values):
// 255 levels for the 8-bit types, 32 for 5-bit, 16 for 4-bit, 8 for Q3_K, 4 for Q2_K.
const std::map<TensorType, double> kRoundTripBounds = {
    {TensorType::F32, 0.0},      // lossless
    {TensorType::F16, 2.5e-4},   // measured 2.07e-4 (worst row 2.11e-4)
    {TensorType::BF16, 2.0e-3},  // measured 1.66e-3 (1.71e-3)
    {TensorType::Q8_0, 6.5e-3},  // measured 5.38e-3 (5.49e-3)
    {TensorType::Q8_1, 6.5e-3},  // measured 5.38e-3 (5.49e-3): Q8_0's levels
    {TensorType::Q8_K, 9.0e-3},  // measured 6.98e-3 (7.32e-3): one scale per 256, not 32
    {TensorType::Q4_0, 0.105},   // measured 0.0860 (0.0876)
    {TensorType::Q4_1, 0.097},   // measured 0.0786 (0.0808)
    {TensorType::Q5_0, 0.053},   // measured 0.0428 (0.0438)
    {TensorType::Q5_1, 0.047},   // measured 0.0380 (0.0389)
    {TensorType::Q2_K, 0.35},    // measured 0.288 (0.295)
    {TensorType::Q3_K, 0.19},    // measured 0.154 (0.159)
    {TensorType::Q4_K, 0.088},   // measured 0.0722 (0.0735)
    {TensorType::Q5_K, 0.045},   // measured 0.0365 (0.0370)
    {TensorType::Q6_K, 0.022},   // measured 0.0179 (0.0184)
};

constexpr std::int64_t kRowLength = 4096;
constexpr int kRows = 16;

std::string type_name(const ::testing::TestParamInfo<QuantKernels>& info) {
    return std::string(gguf::tensor_type_name(info.param.type));
}

class QuantRoundTrip : public ::testing::TestWithParam<QuantKernels> {
protected:
    TensorType type() const { return GetParam().type; }
};

TEST_P(QuantRoundTrip, StaysWithinItsErrorBoundOnGaussianRows) {
    const auto bound = kRoundTripBounds.find(type());
    ASSERT_NE(bound, kRoundTripBounds.end())
        << "no round-trip error bound documented for " << gguf::tensor_type_name(type());
    double worst = 0.0;
    double squared_sum = 0.0;
    for (int row = 0; row < kRows; ++row) {
        const auto values = random_normal(kRowLength, 1000 + static_cast<std::uint32_t>(row));
        const auto decoded = dequantize(type(), quantize(type(), values), kRowLength);
        const double error = relative_rms_error(values, decoded);
        worst = std::max(worst, error);
        squared_sum += error * error;
    }
    const double rms_over_rows = std::sqrt(squared_sum / kRows);
    RecordProperty("relative_rms_error", std::to_string(rms_over_rows));
    std::printf("[ measured ] %s round trip: relative RMS error %.3g (worst row %.3g)\n",
                std::string(gguf::tensor_type_name(type())).c_str(), rms_over_rows, worst);
    EXPECT_LE(worst, bound->second) << gguf::tensor_type_name(type());
}

TEST_P(QuantRoundTrip, KeepsScaleAcrossMagnitudes) {
    // Relative error must not depend on the data's scale (no absolute epsilons inside).
    for (const float sigma : {1e-3f, 1e3f}) {
        auto values = random_normal(kRowLength, 77, sigma);
        const auto decoded = dequantize(type(), quantize(type(), values), kRowLength);
        EXPECT_LE(relative_rms_error(values, decoded), kRoundTripBounds.at(type()) * 1.5 + 1e-12)
            << gguf::tensor_type_name(type()) << " at sigma " << sigma;
    }
}

TEST_P(QuantRoundTrip, QuantizesAZeroRowToExactZeros) {
    const std::vector<float> zeros(kRowLength, 0.0f);
    for (const float value : dequantize(type(), quantize(type(), zeros), kRowLength)) {
        ASSERT_EQ(value, 0.0f) << gguf::tensor_type_name(type());
    }
}

TEST_P(QuantRoundTrip, RepresentsAConstantRowClosely) {
    for (const float constant : {0.75f, -2.5f}) {
        const std::vector<float> values(kRowLength, constant);
        const auto decoded = dequantize(type(), quantize(type(), values), kRowLength);
        EXPECT_LE(relative_rms_error(values, decoded), 2e-3)
            << gguf::tensor_type_name(type()) << " with every element " << constant;
    }
}

TEST_P(QuantRoundTrip, IsDeterministic) {
    const auto values = random_normal(kRowLength, 5);
    EXPECT_EQ(quantize(type(), values), quantize(type(), values));
}

INSTANTIATE_TEST_SUITE_P(EveryComputableType, QuantRoundTrip,
                         ::testing::ValuesIn(all_quant_kernels().begin(),
                                             all_quant_kernels().end()),
                         type_name);

}  // namespace
}  // namespace inhouse::kernels
