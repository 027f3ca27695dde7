// The vectorizable exponential of the attention softmax against std::exp (in double).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "model/layers/softmax.h"

namespace inhouse::model {
namespace {

TEST(Softmax, ExpMatchesTheLibraryToAFewUlpOverTheWholeRange) {
    double worst = 0;
    for (float x = -87.0f; x <= 0.0f; x += 0.000731f) {
        const double expected = std::exp(static_cast<double>(x));
        const double relative = std::fabs(exp_of_nonpositive(x) - expected) / expected;
        worst = std::max(worst, relative);
    }
    EXPECT_LT(worst, 4e-7) << "about 3 ulp of a float";
    EXPECT_EQ(exp_of_nonpositive(0.0f), 1.0f);
    EXPECT_GE(exp_of_nonpositive(-1000.0f), 0.0f);
    EXPECT_LT(exp_of_nonpositive(-1000.0f), 1e-37f);
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
