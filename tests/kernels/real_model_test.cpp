// Dequantizes rows of the two real models the project targets and compares them, bit for
// bit, with gguf-py's dequantization of the same rows (tests/data/kernels/real_rows.json,
// written by tools/make_quant_fixtures.py). The files are named by environment variables:
//   INHOUSE_TEST_SMOLLM2  SmolLM2-135M-Instruct Q4_1 (Q8_0, Q4_1 and F32 tensors)
//   INHOUSE_TEST_GEMMA3   gemma-3-270m Q4_K_M    (Q8_0, Q5_0, Q4_K, Q6_K and F32 tensors)
// A test whose variable is unset is skipped, or fails when INHOUSE_REQUIRE_MODELS=1.
#include <gtest/gtest.h>

#include "support/real_models.h"

#include <bit>
#include <cstdlib>
#include <optional>
#include <string>

#include "gguf/gguf_file.h"
#include "kernels/quant_table.h"
#include "kernels/test_support.h"

namespace inhouse::kernels {
namespace {

using test_support::float_bits;

struct RealModel {
    const char* variable;
    const char* key;  // in real_rows.json
};

std::string model_name(const ::testing::TestParamInfo<RealModel>& info) { return info.param.key; }

class RealModelRows : public ::testing::TestWithParam<RealModel> {
protected:
    void SetUp() override {
        const auto path = test_models::real_model_path(GetParam().variable);
        if (!path) GTEST_SKIP() << "set " << GetParam().variable << " to the model's .gguf path to run this test";
        auto file = gguf::GgufFile::open(*path);
        ASSERT_TRUE(file.ok()) << file.error().to_string();
        file_.emplace(std::move(file).value());
        auto rows = test_support::load_json(test_support::fixture_path("real_rows.json"));
        ASSERT_TRUE(rows.has_value()) << "tests/data/kernels/real_rows.json is missing or not JSON";
        ASSERT_TRUE((*rows)["models"].contains(GetParam().key));
        expected_ = (*rows)["models"][GetParam().key];
    }

    std::optional<gguf::GgufFile> file_;
    nlohmann::json expected_;
};

TEST_P(RealModelRows, DequantizeExactlyAsGgufPyDoes) {
    ASSERT_FALSE(expected_["tensors"].empty());
    for (const auto& tensor : expected_["tensors"]) {
        const std::string name = tensor["name"].get<std::string>();
        SCOPED_TRACE(name);
        const gguf::TensorInfo* info = file_->find_tensor(name);
        ASSERT_NE(info, nullptr) << "missing tensor " << name;
        ASSERT_EQ(gguf::tensor_type_name(info->type), tensor["type"].get<std::string>());
        ASSERT_TRUE(is_computable(info->type));
        const auto row_length = static_cast<std::int64_t>(info->ne[0]);
        ASSERT_EQ(row_length, tensor["row_length"].get<std::int64_t>());
        const std::size_t row_bytes = row_size_bytes(info->type, row_length);
        ASSERT_EQ(info->size_bytes % row_bytes, 0u);
        for (const auto& row : tensor["rows"]) {
            const auto index = row["index"].get<std::size_t>();
            ASSERT_LE((index + 1) * row_bytes, info->data.size());
            const auto actual = test_support::dequantize(
                info->type, info->data.subspan(index * row_bytes, row_bytes), row_length);
            const auto expected = test_support::floats_from_bytes(
                test_support::decode_base64(row["values"].get<std::string>())
                    .value_or(std::vector<std::uint8_t>{}));
            ASSERT_FALSE(expected.empty());
            ASSERT_LE(expected.size(), actual.size());
            for (std::size_t i = 0; i < expected.size(); ++i) {
                ASSERT_EQ(std::bit_cast<std::uint32_t>(actual[i]),
                          std::bit_cast<std::uint32_t>(expected[i]))
                    << "row " << index << ", element " << i << ": got " << float_bits(actual[i])
                    << ", gguf-py gives " << float_bits(expected[i]);
            }
        }
    }
}

TEST_P(RealModelRows, DotWithAQuantizedActivationMatchesTheF32Reference) {
    // The path inference takes: a real weight row times an activation quantized on the fly.
    for (const auto& tensor : expected_["tensors"]) {
        const gguf::TensorInfo* info = file_->find_tensor(tensor["name"].get<std::string>());
        ASSERT_NE(info, nullptr);
        const auto row_length = static_cast<std::int64_t>(info->ne[0]);
        const auto weight_row = info->data.subspan(0, row_size_bytes(info->type, row_length));
        const auto activation_values =
            test_support::random_normal(static_cast<std::size_t>(row_length), 3);
        const auto activation_row =
            test_support::quantize(activation_type(info->type), activation_values);
        const auto weights = test_support::dequantize(info->type, weight_row, row_length);
        const auto activations =
            test_support::dequantize(activation_type(info->type), activation_row, row_length);
        const double reference = test_support::dot_in_double(weights, activations);
        const double scale = test_support::sum_of_absolute_products(weights, activations);
        const float result = dot(info->type, weight_row.data(), activation_row.data(), row_length);
        EXPECT_LE(std::abs(result - reference), 1e-3 * scale) << info->name;
    }
}

INSTANTIATE_TEST_SUITE_P(BothModels, RealModelRows,
                         ::testing::Values(RealModel{"INHOUSE_TEST_SMOLLM2", "smollm2"},
                                           RealModel{"INHOUSE_TEST_GEMMA3", "gemma3"}),
                         model_name);

}  // namespace
}  // namespace inhouse::kernels
