// The vectorizable exponential (attention softmax, SiLU, GELU) against std::exp and std::tanh
// in double.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model/layers/activation.h"
#include "model/layers/softmax.h"

namespace inhouse::model {
namespace {

TEST(Softmax, ExpMatchesTheLibraryToAFewUlpOverTheWholeRange) {
    double worst = 0;
    for (float x = -87.0f; x <= 0.0f; x += 0.000731f) {
        const double expected = std::exp(static_cast<double>(x));
        const double relative = std::fabs(fast_exp(x) - expected) / expected;
        worst = std::max(worst, relative);
    }
    EXPECT_LT(worst, 4e-7) << "about 3 ulp of a float";
    EXPECT_EQ(fast_exp(0.0f), 1.0f);
    EXPECT_GE(fast_exp(-1000.0f), 0.0f);
    EXPECT_LT(fast_exp(-1000.0f), 1e-37f);
}

TEST(Softmax, FastExpCoversPositiveArgumentsAndClampsOutside) {
    double worst = 0;
    for (float x = 0.0f; x <= 88.0f; x += 0.000917f) {
        const double expected = std::exp(static_cast<double>(x));
        worst = std::max(worst, std::fabs(fast_exp(x) - expected) / expected);
    }
    EXPECT_LT(worst, 4e-7);
    EXPECT_TRUE(std::isfinite(fast_exp(1000.0f)));
    EXPECT_GT(fast_exp(1000.0f), 1e38f);
}

TEST(Softmax, GatedActivationsMatchTheirDefinitions) {
    std::vector<float> gate;
    for (float x = -30.0f; x <= 30.0f; x += 0.0137f) gate.push_back(x);
    const std::vector<float> up(gate.size(), 1.5f);
    std::vector<float> out(gate.size());
    for (const auto activation : {FfnActivation::Silu, FfnActivation::GeluTanh}) {
        gated_activation(activation, gate.data(), up.data(), out.data(), static_cast<std::int64_t>(gate.size()));
        for (std::size_t i = 0; i < gate.size(); ++i) {
            const double x = gate[i];
            const double expected =
                1.5 * (activation == FfnActivation::Silu
                           ? x / (1 + std::exp(-x))
                           : 0.5 * x * (1 + std::tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))));
            EXPECT_NEAR(out[i], expected, 1e-6 * std::max(1.0, std::fabs(expected))) << "x = " << x;
        }
    }
}

TEST(Softmax, ExponentiatesInPlaceAndReturnsTheSum) {
    std::vector<float> scores;
    for (int i = 0; i < 37; ++i) scores.push_back(static_cast<float>(i % 7) - 3.5f);
    const std::vector<float> original = scores;
    const float sum = exponentiate(scores.data(), static_cast<std::int64_t>(scores.size()), 2.5f);
    double expected_sum = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const double expected = std::exp(static_cast<double>(original[i]) - 2.5);
        EXPECT_NEAR(scores[i], expected, 1e-6 * expected);
        expected_sum += expected;
    }
    EXPECT_NEAR(sum, expected_sum, 1e-6 * expected_sum);
}

}  // namespace
}  // namespace inhouse::model
