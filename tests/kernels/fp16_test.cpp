// kernels/fp16.h: half and bfloat16 conversions, exhaustively where the domain is small, and
// at every rounding edge (ties, overflow, subnormals, NaN) where it is not.
#include "kernels/fp16.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace inhouse::kernels {
namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();

bool is_half_nan(std::uint16_t bits) { return (bits & 0x7c00u) == 0x7c00u && (bits & 0x3ffu) != 0; }

// The value a finite half encodes, computed independently of fp16_to_fp32.
double half_value(std::uint16_t bits) {
    const int exponent = (bits >> 10) & 0x1f;
    const int mantissa = bits & 0x3ff;
    const double magnitude =
        exponent == 0 ? std::ldexp(mantissa, -24) : std::ldexp(1024 + mantissa, exponent - 25);
    return (bits & 0x8000u) != 0 ? -magnitude : magnitude;
}

TEST(Fp16, DecodesEveryFiniteHalfExactlyAndEncodesItBackUnchanged) {
    for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
        const auto half = static_cast<std::uint16_t>(bits);
        if (((half >> 10) & 0x1f) == 0x1f) continue;
        const float value = fp16_to_fp32(half);
        ASSERT_EQ(static_cast<double>(value), half_value(half)) << "half 0x" << std::hex << bits;
        ASSERT_EQ(std::signbit(value), (half & 0x8000u) != 0) << "half 0x" << std::hex << bits;
        ASSERT_EQ(fp32_to_fp16(value), half) << "half 0x" << std::hex << bits;
    }
}

TEST(Fp16, KeepsInfinitiesAndNans) {
    EXPECT_EQ(fp16_to_fp32(0x7c00), kInfinity);
    EXPECT_EQ(fp16_to_fp32(0xfc00), -kInfinity);
    EXPECT_TRUE(std::isnan(fp16_to_fp32(0x7e00)));
    EXPECT_TRUE(std::isnan(fp16_to_fp32(0x7c01)));  // a signalling NaN is still a NaN
    EXPECT_TRUE(std::signbit(fp16_to_fp32(0xfe00)));
    EXPECT_EQ(fp32_to_fp16(kInfinity), 0x7c00);
    EXPECT_EQ(fp32_to_fp16(-kInfinity), 0xfc00);
    EXPECT_EQ(fp32_to_fp16(std::numeric_limits<float>::quiet_NaN()), 0x7e00);
    EXPECT_EQ(fp32_to_fp16(-std::numeric_limits<float>::quiet_NaN()), 0xfe00);
    // A NaN whose payload sits only in the low 13 bits must not collapse into infinity.
    EXPECT_TRUE(is_half_nan(fp32_to_fp16(std::bit_cast<float>(0x7f800001u))));
}

TEST(Fp16, RoundsHalfwayCasesToTheEvenNeighbour) {
    // Between two adjacent positive halves the midpoint is exact in float: it goes to the
    // half with the even mantissa, and one float step either side goes to the nearer one.
    for (std::uint16_t low = 0; low < 0x7bff; ++low) {
        const auto high = static_cast<std::uint16_t>(low + 1);
        const float midpoint = static_cast<float>((half_value(low) + half_value(high)) / 2);
        ASSERT_EQ(static_cast<double>(midpoint), (half_value(low) + half_value(high)) / 2);
        const std::uint16_t even = (low & 1u) == 0 ? low : high;
        ASSERT_EQ(fp32_to_fp16(midpoint), even)
            << "between 0x" << std::hex << low << " and 0x" << high;
        ASSERT_EQ(fp32_to_fp16(std::nextafter(midpoint, 0.0f)), low)
            << "below 0x" << std::hex << high;
        ASSERT_EQ(fp32_to_fp16(std::nextafter(midpoint, kInfinity)), high)
            << "above 0x" << std::hex << low;
        ASSERT_EQ(fp32_to_fp16(-midpoint), even | 0x8000u);
    }
}

TEST(Fp16, OverflowsToInfinityFromHalfwayPastTheLargestHalf) {
    EXPECT_EQ(fp32_to_fp16(65504.0f), 0x7bff);
    EXPECT_EQ(fp32_to_fp16(std::nextafter(65520.0f, 0.0f)), 0x7bff);
    EXPECT_EQ(fp32_to_fp16(65520.0f), 0x7c00);
    EXPECT_EQ(fp32_to_fp16(-65520.0f), 0xfc00);
    EXPECT_EQ(fp32_to_fp16(std::numeric_limits<float>::max()), 0x7c00);
}

TEST(Fp16, RoundsIntoAndOutOfTheSubnormalRange) {
    const float unit = 0x1p-24f;  // the smallest subnormal half
    EXPECT_EQ(fp32_to_fp16(unit), 0x0001);
    EXPECT_EQ(fp32_to_fp16(unit / 2), 0x0000);  // tie between 0 and 1 unit: even is 0
    EXPECT_EQ(fp32_to_fp16(std::nextafter(unit / 2, 1.0f)), 0x0001);
    EXPECT_EQ(fp32_to_fp16(1.5f * unit), 0x0002);  // tie: even is 2
    EXPECT_EQ(fp32_to_fp16(2.5f * unit), 0x0002);
    EXPECT_EQ(fp32_to_fp16(1023.5f * unit), 0x0400);  // rounds up into the smallest normal
    EXPECT_EQ(fp32_to_fp16(0x1p-14f), 0x0400);
    EXPECT_EQ(fp32_to_fp16(1e-40f), 0x0000);  // a float subnormal underflows
    EXPECT_EQ(fp32_to_fp16(-1e-40f), 0x8000);
    EXPECT_EQ(fp32_to_fp16(-0.0f), 0x8000);
    EXPECT_EQ(fp16_to_fp32(0x8000), 0.0f);
    EXPECT_TRUE(std::signbit(fp16_to_fp32(0x8000)));
}

TEST(Fp16, PicksTheNearestHalfForRandomFloats) {
    std::mt19937 engine(7);
    std::uniform_real_distribution<float> exponent(-26.0f, 15.99f);  // below 65504
    for (int i = 0; i < 200000; ++i) {
        const float value = std::exp2(exponent(engine)) * ((i & 1) != 0 ? -1.0f : 1.0f);
        const std::uint16_t half = fp32_to_fp16(value);
        const double error = std::fabs(half_value(half) - value);
        for (const int neighbour : {half - 1, half + 1}) {
            const auto other = static_cast<std::uint16_t>(neighbour);
            if ((other & 0x7fffu) > 0x7bffu || ((other ^ half) & 0x8000u) != 0) continue;
            ASSERT_LE(error, std::fabs(half_value(other) - value)) << "value " << value;
        }
    }
}

// The vector conversions take SIMD paths (AVX-512 or F16C) where the build targets them; they
// must give the scalar conversions' bits (floats to halves at every length, tails included).
TEST(Fp16, RowConversionsGiveTheScalarConversionsBits) {
    std::vector<std::uint16_t> halves;
    for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) halves.push_back(static_cast<std::uint16_t>(bits));
    std::vector<float> floats(halves.size());
    {
        const std::size_t n = halves.size();
        for (std::size_t i = 0; i < n; i += 16) fp16_to_fp32_16(halves.data() + i, floats.data() + i);
        for (std::size_t i = 0; i < n; ++i) {
            const float expected = fp16_to_fp32(halves[i]);
            if (std::isnan(expected)) {
                ASSERT_TRUE(std::isnan(floats[i])) << "half 0x" << std::hex << halves[i];
            } else {
                ASSERT_EQ(std::bit_cast<std::uint32_t>(floats[i]), std::bit_cast<std::uint32_t>(expected))
                    << "half 0x" << std::hex << halves[i];
            }
        }
    }
    // Back: every half's value, the midpoints between neighbours and a float step either side
    // (the rounding edges), and random floats over the whole exponent range.
    std::vector<float> values;
    for (std::uint16_t low = 0; low < 0x7bff; ++low) {
        const float midpoint = static_cast<float>((half_value(low) + half_value(static_cast<std::uint16_t>(low + 1))) / 2);
        for (const float value : {static_cast<float>(half_value(low)), midpoint, std::nextafter(midpoint, 0.0f),
                                  std::nextafter(midpoint, kInfinity)}) {
            values.push_back(value);
            values.push_back(-value);
        }
    }
    std::mt19937 engine(7);
    std::uniform_real_distribution<float> exponent(-30.0f, 20.0f);
    for (int i = 0; i < 100'000; ++i) values.push_back(std::exp2(exponent(engine)) * ((i & 1) != 0 ? -1.0f : 1.0f));
    values.insert(values.end(), {kInfinity, -kInfinity, 65520.0f, std::numeric_limits<float>::max(),
                                 std::numeric_limits<float>::quiet_NaN()});
    std::vector<std::uint16_t> converted(values.size());
    for (const std::size_t n : {values.size(), std::size_t{9}, std::size_t{31}}) {
        fp32_to_fp16_row(values.data(), converted.data(), static_cast<std::int64_t>(n));
        for (std::size_t i = 0; i < n; ++i) {
            if (std::isnan(values[i])) {
                ASSERT_TRUE(is_half_nan(converted[i]));
            } else {
                ASSERT_EQ(converted[i], fp32_to_fp16(values[i])) << "value " << values[i];
            }
        }
    }
}

TEST(Bf16, DecodesByShiftingIntoTheTopHalfOfAFloat) {
    EXPECT_EQ(bf16_to_fp32(0x3f80), 1.0f);
    EXPECT_EQ(bf16_to_fp32(0xc000), -2.0f);
    EXPECT_EQ(bf16_to_fp32(0x7f80), kInfinity);
    EXPECT_EQ(bf16_to_fp32(0x0001), std::bit_cast<float>(0x00010000u));  // subnormal
    EXPECT_TRUE(std::isnan(bf16_to_fp32(0x7fc1)));
    for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
        const auto bf16 = static_cast<std::uint16_t>(bits);
        if ((bf16 & 0x7f80u) == 0x7f80u && (bf16 & 0x7fu) != 0) continue;  // NaNs are quieted
        ASSERT_EQ(fp32_to_bf16(bf16_to_fp32(bf16)), bf16) << "bf16 0x" << std::hex << bits;
    }
}

TEST(Bf16, RoundsHalfwayCasesToEvenAndQuietsNans) {
    EXPECT_EQ(fp32_to_bf16(1.0f + 0x1p-8f), 0x3f80);      // tie: 1.0 is even
    EXPECT_EQ(fp32_to_bf16(1.0f + 3 * 0x1p-8f), 0x3f82);  // tie: 1 + 2^-6 is even
    EXPECT_EQ(fp32_to_bf16(std::nextafter(1.0f + 0x1p-8f, 2.0f)), 0x3f81);
    EXPECT_EQ(fp32_to_bf16(std::numeric_limits<float>::max()), 0x7f80);  // rounds to infinity
    EXPECT_EQ(fp32_to_bf16(-kInfinity), 0xff80);
    EXPECT_EQ(fp32_to_bf16(-0.0f), 0x8000);
    EXPECT_EQ(fp32_to_bf16(std::numeric_limits<float>::quiet_NaN()), 0x7fc0);
    // Rounding would carry this signalling NaN into infinity; it must stay a NaN.
    EXPECT_EQ(fp32_to_bf16(std::bit_cast<float>(0x7f800001u)), 0x7fc0);
    EXPECT_EQ(fp32_to_bf16(std::bit_cast<float>(0xff800001u)), 0xffc0);
}

}  // namespace
}  // namespace inhouse::kernels
