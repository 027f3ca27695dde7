// Reads the two real models the project targets and checks values cross-checked with the
// gguf Python package (gguf 0.19.0, GGUFReader). The files are named by environment variables:
//   INHOUSE_TEST_SMOLLM2  SmolLM2-135M-Instruct.Q4_1.gguf   (sha256 b179c952…db53)
//   INHOUSE_TEST_GEMMA3   gemma-3-270m-q4_k_m.gguf          (sha256 a5fd3b62…6818)
// A test whose variable is unset is skipped, or fails when INHOUSE_REQUIRE_MODELS=1.
#include <gtest/gtest.h>

#include "support/real_models.h"

#include <cstdlib>
#include <optional>
#include <string>

#include "gguf/gguf_file.h"
#include "gguf/model_summary.h"

namespace inhouse::gguf {
namespace {

class RealModelTest : public ::testing::Test {
protected:
    // Opens the file named by `variable`; skips (or fails) the test when it is unset.
    void open_model(const char* variable) {
        const auto path = test_models::real_model_path(variable);
        if (!path) GTEST_SKIP() << "set " << variable << " to the model's .gguf path to run this test";
        auto file = GgufFile::open(*path);
        ASSERT_TRUE(file.ok()) << file.error().to_string();
        file_.emplace(std::move(file).value());
    }

    const GgufFile& file() const { return *file_; }

    // The named tensor; a missing one fails the test and reads as an empty TensorInfo.
    const TensorInfo& tensor(std::string_view name) const {
        static const TensorInfo kMissing;
        const TensorInfo* info = file_->find_tensor(name);
        EXPECT_NE(info, nullptr) << "missing tensor " << name;
        return info != nullptr ? *info : kMissing;
    }

    std::optional<GgufFile> file_;
};

class SmolLm2 : public RealModelTest {
protected:
    void SetUp() override { open_model("INHOUSE_TEST_SMOLLM2"); }
};

class Gemma3 : public RealModelTest {
protected:
    void SetUp() override { open_model("INHOUSE_TEST_GEMMA3"); }
};

TEST_F(SmolLm2, ReadsTheLlamaHyperparameters) {
    EXPECT_EQ(file().version(), 3u);
    EXPECT_EQ(file().size_bytes(), 98362432u);
    EXPECT_EQ(file().metadata().size(), 33u);
    EXPECT_EQ(file().architecture(), "llama");
    EXPECT_EQ(file().get_string("general.name"), "Smollm2 135M 8k Lc100K Mix1 Ep2");
    EXPECT_EQ(file().get_uint("llama.block_count"), 30u);
    EXPECT_EQ(file().get_uint("llama.context_length"), 8192u);
    EXPECT_EQ(file().get_uint("llama.embedding_length"), 576u);
    EXPECT_EQ(file().get_uint("llama.feed_forward_length"), 1536u);
    EXPECT_EQ(file().get_uint("llama.attention.head_count"), 9u);
    EXPECT_EQ(file().get_uint("llama.attention.head_count_kv"), 3u);
    EXPECT_EQ(file().get_uint("llama.rope.dimension_count"), 64u);
    EXPECT_EQ(file().get_uint("llama.vocab_size"), 49152u);
    EXPECT_EQ(file().get_float("llama.rope.freq_base"), 100000.0);
    EXPECT_FLOAT_EQ(*file().get_float("llama.attention.layer_norm_rms_epsilon"), 1e-5f);
    EXPECT_EQ(get_arch_uint(file(), "block_count"), 30u);
}

TEST_F(SmolLm2, ReadsTheGpt2TokenizerWith49152Tokens) {
    EXPECT_EQ(file().get_string("tokenizer.ggml.model"), "gpt2");
    EXPECT_EQ(file().get_string("tokenizer.ggml.pre"), "smollm");
    const ArrayValue* tokens = file().get_array("tokenizer.ggml.tokens");
    ASSERT_NE(tokens, nullptr);
    ASSERT_EQ(tokens->strings.size(), 49152u);
    EXPECT_EQ(tokens->strings[0], "<|endoftext|>");
    EXPECT_EQ(tokens->strings[1], "<|im_start|>");
    EXPECT_EQ(tokens->strings.back(), "ectable");
    const ArrayValue* merges = file().get_array("tokenizer.ggml.merges");
    ASSERT_NE(merges, nullptr);
    ASSERT_EQ(merges->n_elements, 48900u);
    EXPECT_EQ(merges->strings[0], "\xc4\xa0 t");  // "Ġ t"
    const ArrayValue* token_types = file().get_array("tokenizer.ggml.token_type");
    ASSERT_NE(token_types, nullptr);
    ASSERT_EQ(token_types->n_elements, 49152u);
    EXPECT_EQ(token_types->element(0).as_int(), 3);  // control
    EXPECT_EQ(file().get_uint("tokenizer.ggml.bos_token_id"), 1u);
    EXPECT_EQ(file().get_uint("tokenizer.ggml.eos_token_id"), 2u);
    EXPECT_EQ(file().get_bool("tokenizer.ggml.add_bos_token"), false);
}

TEST_F(SmolLm2, PlacesTensorsWithTheirShapesAndTypes) {
    EXPECT_EQ(file().tensors().size(), 272u);
    EXPECT_EQ(file().alignment(), 32u);
    EXPECT_EQ(file().data_section_offset(), 1785664u);
    const auto& embedding = tensor("token_embd.weight");
    EXPECT_EQ(embedding.type, TensorType::Q8_0);
    EXPECT_EQ(embedding.shape(), (std::vector<std::uint64_t>{49152, 576}));
    EXPECT_EQ(embedding.file_offset, 1785664u);
    EXPECT_EQ(embedding.size_bytes, 30081024u);
    const auto& query = tensor("blk.0.attn_q.weight");
    EXPECT_EQ(query.type, TensorType::Q4_1);
    EXPECT_EQ(query.shape(), (std::vector<std::uint64_t>{576, 576}));
    EXPECT_EQ(query.file_offset, 33806656u);
    EXPECT_EQ(query.size_bytes, 207360u);
    EXPECT_EQ(tensor("blk.0.attn_k.weight").shape(), (std::vector<std::uint64_t>{192, 576}));
    EXPECT_EQ(tensor("blk.0.ffn_down.weight").shape(), (std::vector<std::uint64_t>{576, 1536}));
    EXPECT_EQ(tensor("blk.29.ffn_up.weight").type, TensorType::Q4_1);
    const auto& norm = tensor("output_norm.weight");
    EXPECT_EQ(norm.type, TensorType::F32);
    EXPECT_EQ(norm.file_offset + norm.size_bytes, file().size_bytes());  // the last tensor
}

TEST_F(SmolLm2, SummarizesTo135MParametersMostlyQ4_1) {
    const auto summary = summarize(file());
    EXPECT_EQ(summary.architecture, "llama");
    EXPECT_EQ(summary.n_parameters, 134515008u);
    EXPECT_EQ(summary.tensor_bytes, 96576768u);
    EXPECT_NEAR(summary.bits_per_weight, 5.7437, 1e-4);
    EXPECT_EQ(summary.quantization, "Q4_1");  // general.file_type 3
    ASSERT_EQ(summary.type_mix.size(), 3u);
    const auto& q4_1 = summary.type_mix.at("Q4_1");
    EXPECT_EQ(q4_1.n_tensors, 210u);
    EXPECT_EQ(q4_1.n_elements, 106168320u);
    EXPECT_EQ(q4_1.size_bytes, 66355200u);
    EXPECT_EQ(summary.type_mix.at("Q8_0").n_tensors, 1u);
    EXPECT_EQ(summary.type_mix.at("Q8_0").size_bytes, 30081024u);
    EXPECT_EQ(summary.type_mix.at("F32").n_tensors, 61u);
    EXPECT_EQ(summary.type_mix.at("F32").n_elements, 35136u);
}

TEST_F(Gemma3, ReadsTheGemma3Hyperparameters) {
    EXPECT_EQ(file().version(), 3u);
    EXPECT_EQ(file().size_bytes(), 253113024u);
    EXPECT_EQ(file().metadata().size(), 33u);
    EXPECT_EQ(file().architecture(), "gemma3");
    EXPECT_EQ(file().get_string("general.name"), "Gemma 3 270m");
    EXPECT_EQ(file().get_uint("gemma3.block_count"), 18u);
    EXPECT_EQ(file().get_uint("gemma3.context_length"), 32768u);
    EXPECT_EQ(file().get_uint("gemma3.embedding_length"), 640u);
    EXPECT_EQ(file().get_uint("gemma3.feed_forward_length"), 2048u);
    EXPECT_EQ(file().get_uint("gemma3.attention.head_count"), 4u);
    EXPECT_EQ(file().get_uint("gemma3.attention.head_count_kv"), 1u);
    EXPECT_EQ(file().get_uint("gemma3.attention.key_length"), 256u);
    EXPECT_EQ(file().get_uint("gemma3.attention.value_length"), 256u);
    EXPECT_EQ(file().get_uint("gemma3.attention.sliding_window"), 512u);
    EXPECT_EQ(file().get_float("gemma3.rope.freq_base"), 1000000.0);
    EXPECT_FLOAT_EQ(*file().get_float("gemma3.attention.layer_norm_rms_epsilon"), 1e-6f);
}

TEST_F(Gemma3, ReadsTheSentencePieceVocabularyOf262144Tokens) {
    EXPECT_EQ(file().get_string("tokenizer.ggml.model"), "llama");
    const ArrayValue* tokens = file().get_array("tokenizer.ggml.tokens");
    ASSERT_NE(tokens, nullptr);
    ASSERT_EQ(tokens->strings.size(), 262144u);
    EXPECT_EQ(tokens->strings[0], "<pad>");
    EXPECT_EQ(tokens->strings[2], "<bos>");
    EXPECT_EQ(tokens->strings.back(), "<unused6241>");
    const ArrayValue* scores = file().get_array("tokenizer.ggml.scores");
    ASSERT_NE(scores, nullptr);
    EXPECT_EQ(scores->element_type, ValueType::Float32);
    EXPECT_EQ(scores->n_elements, 262144u);
    EXPECT_EQ(file().get_uint("tokenizer.ggml.bos_token_id"), 2u);
    EXPECT_EQ(file().get_uint("tokenizer.ggml.eos_token_id"), 1u);
    EXPECT_EQ(file().get_bool("tokenizer.ggml.add_bos_token"), true);
}

TEST_F(Gemma3, PlacesTensorsWithTheirShapesAndTypes) {
    EXPECT_EQ(file().tensors().size(), 236u);
    EXPECT_EQ(file().data_section_offset(), 6525120u);
    const auto& embedding = tensor("token_embd.weight");
    EXPECT_EQ(embedding.type, TensorType::Q8_0);
    EXPECT_EQ(embedding.shape(), (std::vector<std::uint64_t>{262144, 640}));
    EXPECT_EQ(embedding.file_offset, 6527680u);
    EXPECT_EQ(embedding.size_bytes, 178257920u);
    EXPECT_EQ(tensor("output_norm.weight").data_offset, 0u);
    EXPECT_EQ(tensor("blk.0.attn_q.weight").type, TensorType::Q5_0);
    EXPECT_EQ(tensor("blk.0.attn_q.weight").shape(), (std::vector<std::uint64_t>{1024, 640}));
    EXPECT_EQ(tensor("blk.0.attn_output.weight").type, TensorType::Q4_K);
    EXPECT_EQ(tensor("blk.0.ffn_down.weight").type, TensorType::Q6_K);
    EXPECT_EQ(tensor("blk.0.ffn_down.weight").shape(), (std::vector<std::uint64_t>{640, 2048}));
    EXPECT_EQ(tensor("blk.0.attn_q_norm.weight").shape(), (std::vector<std::uint64_t>{256}));
    const auto& last = tensor("blk.17.post_ffw_norm.weight");
    EXPECT_EQ(last.file_offset + last.size_bytes, file().size_bytes());
}

TEST_F(Gemma3, SummarizesTo268MParametersInAQ4_K_MMix) {
    const auto summary = summarize(file());
    EXPECT_EQ(summary.architecture, "gemma3");
    EXPECT_EQ(summary.n_parameters, 268098176u);
    EXPECT_EQ(summary.tensor_bytes, 246587904u);
    EXPECT_NEAR(summary.bits_per_weight, 7.3581, 1e-4);
    EXPECT_EQ(summary.quantization, "Q4_K_M");  // general.file_type 15
    ASSERT_EQ(summary.type_mix.size(), 5u);
    const struct {
        const char* type;
        std::uint64_t n_tensors, n_elements, size_bytes;
    } expected[] = {
        {"F32", 109, 55936, 223744},      {"Q8_0", 10, 169246720, 179824640},
        {"Q5_0", 81, 63406080, 43591680}, {"Q4_K", 27, 23592960, 13271040},
        {"Q6_K", 9, 11796480, 9676800},
    };
    for (const auto& row : expected) {
        SCOPED_TRACE(row.type);
        ASSERT_EQ(summary.type_mix.count(row.type), 1u);
        const auto& usage = summary.type_mix.at(row.type);
        EXPECT_EQ(usage.n_tensors, row.n_tensors);
        EXPECT_EQ(usage.n_elements, row.n_elements);
        EXPECT_EQ(usage.size_bytes, row.size_bytes);
    }
}

}  // namespace
}  // namespace inhouse::gguf
