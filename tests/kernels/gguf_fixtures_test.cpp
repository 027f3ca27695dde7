// Bit compatibility with GGUF: the fixtures of tools/make_quant_fixtures.py hold blocks and
// the floats gguf-py (a numpy port of ggml's reference code) decodes them to, and float
// inputs with the bytes ggml's reference quantizers produce. Registry-wide: every computable
// type needs a dequantize fixture, and the types whose quantizer is specified bit for bit
// (kExactQuantizers) need a quantize fixture too.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <set>
#include <string>

#include "kernels/quant_table.h"
#include "kernels/test_support.h"

namespace inhouse::kernels {
namespace {

using gguf::TensorType;
using test_support::decode_base64;
using test_support::float_bits;
using test_support::floats_from_bytes;

// Types whose quantization must reproduce ggml's reference bytes exactly. The K-quants'
// quantizers are least-squares searches: same method as ggml, not the same bytes.
const std::set<TensorType> kExactQuantizers = {
    TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q8_0, TensorType::Q8_1,
    TensorType::Q8_K, TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1};

const nlohmann::json& fixtures() {
    static const nlohmann::json kFixtures =
        test_support::load_json(test_support::fixture_path("quant_fixtures.json"))
            .value_or(nlohmann::json{});
    return kFixtures;
}

// fixture[key] decoded from base64; an empty vector when absent or malformed.
std::vector<std::uint8_t> bytes_of(const nlohmann::json& fixture, const char* key) {
    if (!fixture.contains(key) || !fixture[key].is_string()) return {};
    return decode_base64(fixture[key].get<std::string>()).value_or(std::vector<std::uint8_t>{});
}

bool are_identical(float a, float b) {
    return (std::isnan(a) && std::isnan(b)) ||
           std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

std::string type_name(const ::testing::TestParamInfo<QuantKernels>& info) {
    return std::string(gguf::tensor_type_name(info.param.type));
}

class GgufFixture : public ::testing::TestWithParam<QuantKernels> {
protected:
    void SetUp() override {
        ASSERT_TRUE(fixtures().contains("types"))
            << test_support::fixture_path("quant_fixtures.json") << " is missing or not JSON";
        const std::string name(gguf::tensor_type_name(type()));
        ASSERT_TRUE(fixtures()["types"].contains(name))
            << "no fixture for " << name << ": run tools/make_quant_fixtures.py";
        fixture_ = &fixtures()["types"][name];
        const auto& info = gguf::tensor_type_info(type());
        ASSERT_EQ((*fixture_)["block_size"], info.block_size);
        ASSERT_EQ((*fixture_)["block_bytes"], info.block_size_bytes);
    }

    TensorType type() const { return GetParam().type; }
    const nlohmann::json& fixture() const { return *fixture_; }

private:
    const nlohmann::json* fixture_ = nullptr;
};

TEST_P(GgufFixture, DequantizesBlocksExactlyAsGgufPy) {
    ASSERT_TRUE(fixture().contains("dequantize"));
    const auto blocks = bytes_of(fixture()["dequantize"], "blocks");
    const auto expected = floats_from_bytes(bytes_of(fixture()["dequantize"], "values"));
    const auto n = static_cast<std::int64_t>(expected.size());
    ASSERT_GT(n, 0);
    ASSERT_EQ(blocks.size(), row_size_bytes(type(), n));
    const auto actual = test_support::dequantize(type(), blocks, n);
    for (std::int64_t i = 0; i < n; ++i) {
        ASSERT_TRUE(are_identical(actual[i], expected[i]))
            << gguf::tensor_type_name(type()) << " element " << i << ": got "
            << float_bits(actual[i]) << ", gguf-py gives " << float_bits(expected[i]);
    }
}

TEST_P(GgufFixture, QuantizesToGgmlsReferenceBytes) {
    if (!kExactQuantizers.contains(type())) {
        GTEST_SKIP() << gguf::tensor_type_name(type())
                     << " quantizes by search; its bytes are not specified bit for bit";
    }
    ASSERT_TRUE(fixture().contains("quantize")) << "no quantize fixture";
    const auto values = floats_from_bytes(bytes_of(fixture()["quantize"], "values"));
    const auto expected = bytes_of(fixture()["quantize"], "blocks");
    ASSERT_FALSE(values.empty());
    const auto actual = test_support::quantize(type(), values);
    ASSERT_EQ(actual.size(), expected.size());
    const std::size_t block_bytes = gguf::tensor_type_info(type()).block_size_bytes;
    for (std::size_t i = 0; i < actual.size(); ++i) {
        ASSERT_EQ(static_cast<int>(actual[i]), static_cast<int>(expected[i]))
            << gguf::tensor_type_name(type()) << " block " << i / block_bytes << ", byte "
            << i % block_bytes << " (oracle: " << fixture()["quantize"]["oracle"] << ")";
    }
}

INSTANTIATE_TEST_SUITE_P(EveryComputableType, GgufFixture,
                         ::testing::ValuesIn(all_quant_kernels().begin(),
                                             all_quant_kernels().end()),
                         type_name);

TEST(Base64, DecodesPaddedAndUnpaddedGroupsAndRefusesGarbage) {
    EXPECT_EQ(decode_base64("AAEC/w=="), (std::vector<std::uint8_t>{0x00, 0x01, 0x02, 0xff}));
    EXPECT_EQ(decode_base64("TWFu"), (std::vector<std::uint8_t>{'M', 'a', 'n'}));
    EXPECT_EQ(decode_base64("TWE="), (std::vector<std::uint8_t>{'M', 'a'}));
    EXPECT_FALSE(decode_base64("TW=u").has_value());
    EXPECT_FALSE(decode_base64("TWF").has_value());
    EXPECT_FALSE(decode_base64("T!Fu").has_value());
}

}  // namespace
}  // namespace inhouse::kernels
