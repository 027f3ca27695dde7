// summarize() and file_type_name() on the synthetic model of valid_files.h.
#include "gguf/model_summary.h"

#include <gtest/gtest.h>

#include "gguf/valid_files.h"

namespace inhouse::gguf {
namespace {

TEST(ModelSummary, CountsParametersAndBytesPerType) {
    const auto bytes = fixtures::make_valid_model();
    const auto file = GgufFile::parse(bytes, "model.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    const auto summary = summarize(*file);
    EXPECT_EQ(summary.architecture, "llama");
    EXPECT_EQ(summary.name, "corpus model");
    EXPECT_EQ(summary.file_size_bytes, bytes.size());
    EXPECT_EQ(summary.n_parameters, 64u * 5 + 64 + 64 * 4);
    EXPECT_EQ(summary.tensor_bytes, 340u + 256 + 272);
    EXPECT_DOUBLE_EQ(summary.bits_per_weight, 8.0 * 868 / 640);
    ASSERT_EQ(summary.type_mix.size(), 2u);
    EXPECT_EQ(summary.type_mix.at("Q8_0").n_tensors, 2u);
    EXPECT_EQ(summary.type_mix.at("Q8_0").size_bytes, 612u);
    EXPECT_EQ(summary.type_mix.at("F32").n_elements, 64u);
    // Without general.file_type the type holding the most bytes names the quantization.
    EXPECT_EQ(summary.quantization, "Q8_0");
}

TEST(ModelSummary, PrefersGeneralFileTypeForTheQuantizationName) {
    auto writer = fixtures::make_model_writer();
    writer.add_uint32("general.file_type", 15);
    fixtures::add_model_tensors(writer);
    const auto bytes = writer.finish();
    const auto file = GgufFile::parse(bytes, "model.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    EXPECT_EQ(summarize(*file).quantization, "Q4_K_M");
}

TEST(ModelSummary, SummarizesAFileWithoutTensorsAsEmpty) {
    const auto bytes = fixtures::make_vocab_only();
    const auto file = GgufFile::parse(bytes, "vocab.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    const auto summary = summarize(*file);
    EXPECT_EQ(summary.n_parameters, 0u);
    EXPECT_EQ(summary.bits_per_weight, 0.0);
    EXPECT_TRUE(summary.type_mix.empty());
    EXPECT_EQ(summary.quantization, "");
}

TEST(ModelSummary, NamesLlamaCppFileTypes) {
    EXPECT_EQ(file_type_name(3), "Q4_1");
    EXPECT_EQ(file_type_name(15), "Q4_K_M");
    EXPECT_EQ(file_type_name(4), std::nullopt);  // retired MOSTLY_Q4_1_SOME_F16
    EXPECT_EQ(file_type_name(1000), std::nullopt);
}

}  // namespace
}  // namespace inhouse::gguf
