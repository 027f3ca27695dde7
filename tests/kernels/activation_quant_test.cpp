// Activations are quantized as llama.cpp quantizes them at run time (not as its reference
// quantizer writes files): tests/data/kernels/activation_fixtures.json holds inputs and the
// bytes llama.cpp's own libggml-cpu produced (tools/make_activation_fixtures.py), including
// rows whose products fall exactly halfway between two levels.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kernels/quant_table.h"
#include "kernels/test_support.h"

namespace inhouse::kernels {
namespace {

using gguf::TensorType;

const nlohmann::json& fixtures() {
    static const nlohmann::json kFixtures =
        test_support::load_json(test_support::fixture_path("activation_fixtures.json"))
            .value_or(nlohmann::json{});
    return kFixtures;
}

class ActivationQuantization : public ::testing::TestWithParam<TensorType> {};

TEST_P(ActivationQuantization, ProducesLlamaCppsRunTimeBytes) {
    const std::string name(gguf::tensor_type_name(GetParam()));
    ASSERT_TRUE(fixtures().contains("types") && fixtures()["types"].contains(name))
        << "no fixture for " << name << ": run tools/make_activation_fixtures.py";
    const auto& cases = fixtures()["types"][name];
    ASSERT_GE(cases.size(), 4u);
    for (const auto& c : cases) {
        const auto input_bytes = test_support::decode_base64(c["input"].get<std::string>());
        const auto expected = test_support::decode_base64(c["bytes"].get<std::string>());
        ASSERT_TRUE(input_bytes && expected);
        const auto input = test_support::floats_from_bytes(*input_bytes);
        const auto n = static_cast<std::int64_t>(input.size());
        ASSERT_EQ(expected->size(), row_size_bytes(GetParam(), n));
        std::vector<std::uint8_t> actual(expected->size());
        quantize_activations(GetParam(), input.data(), actual.data(), n);
        for (std::size_t i = 0; i < actual.size(); ++i) {
            ASSERT_EQ(static_cast<int>(actual[i]), static_cast<int>((*expected)[i])) << name << " byte " << i;
        }
    }
}

// The halfway rows are the ones where run-time and reference quantization part ways, so
// the fixture must keep exercising that difference.
TEST(ActivationQuantization, HalfwayRowsDifferFromTheReferenceQuantizer) {
    for (const TensorType type : {TensorType::Q8_0, TensorType::Q8_1}) {
        const auto& halfway = fixtures()["types"][std::string(gguf::tensor_type_name(type))][2];
        const auto input = test_support::floats_from_bytes(*test_support::decode_base64(halfway["input"].get<std::string>()));
        const auto n = static_cast<std::int64_t>(input.size());
        std::vector<std::uint8_t> run_time(row_size_bytes(type, n));
        std::vector<std::uint8_t> reference(run_time.size());
        quantize_activations(type, input.data(), run_time.data(), n);
        quantize_row(type, input.data(), reference.data(), n);
        EXPECT_NE(run_time, reference) << gguf::tensor_type_name(type);
    }
}

// Rows that reach each branch of the quantizers: zero blocks, an extreme that appears twice with
// both signs (the first one sets the sign of the scale), negative zeros, products landing
// halfway between two levels (x = (k + 0.5) · max/127 with max = 127), outliers.
std::vector<float> awkward_row(std::int64_t n, std::uint32_t seed) {
    auto row = test_support::random_normal(static_cast<std::size_t>(n), seed, 3.0f);
    for (std::size_t i = 0; i < row.size(); i += 97) row[i] *= -60.0f;
    for (std::size_t block = 0; block * 256 < row.size(); ++block) {
        float* x = row.data() + block * 256;
        switch (block % 5) {
            case 0: std::fill(x, x + 256, block % 2 == 0 ? 0.0f : -0.0f); break;
            case 1: x[37] = -500.0f; x[200] = 500.0f; x[3] = 0.0f; break;
            case 2: x[5] = 500.0f; x[6] = -500.0f; break;
            case 3:
                x[0] = 127.0f;
                for (int i = 1; i < 256; ++i) x[i] = static_cast<float>(i % 200 - 100) + 0.5f;
                break;
            default: break;
        }
    }
    return row;
}

TEST_P(ActivationQuantization, EverySimdLevelWritesTheScalarBytes) {
    const TensorType type = GetParam();
    const QuantizeRowFn scalar = quantize_activations_kernel_at(type, SimdLevel::kScalar);
    ASSERT_NE(scalar, nullptr);
    int levels_run = 0;
    for (const SimdLevel level : {SimdLevel::kAvx2, SimdLevel::kAvx512}) {
        const QuantizeRowFn simd = quantize_activations_kernel_at(type, level);
        if (simd == nullptr || !cpu_supports(level)) continue;
        ++levels_run;
        for (const std::int64_t n_blocks_of_256 : {1, 2, 5, 11, 43}) {
            const std::int64_t n = n_blocks_of_256 * 256;
            for (std::uint32_t seed = 0; seed < 4; ++seed) {
                const auto row = awkward_row(n, seed);
                std::vector<std::uint8_t> expected(row_size_bytes(type, n));
                std::vector<std::uint8_t> actual(expected.size(), 0xa5);
                scalar(row.data(), expected.data(), n);
                simd(row.data(), actual.data(), n);
                ASSERT_EQ(actual, expected) << gguf::tensor_type_name(type) << " " << simd_level_name(level) << " n " << n
                                            << " seed " << seed;
            }
        }
    }
    if (type != TensorType::Q8_1) {
        EXPECT_GT(levels_run, 0) << "no SIMD quantizer ran for " << gguf::tensor_type_name(type);
    }
}

INSTANTIATE_TEST_SUITE_P(ActivationTypes, ActivationQuantization,
                         ::testing::Values(TensorType::Q8_0, TensorType::Q8_1, TensorType::Q8_K),
                         [](const auto& param_info) { return std::string(gguf::tensor_type_name(param_info.param)); });

}  // namespace
}  // namespace inhouse::kernels
