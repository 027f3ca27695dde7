// Loading refuses what it cannot run, naming the problem: unknown architectures, missing
// tensors, misshapen tensors, inconsistent hyperparameters.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "gguf/gguf_writer.h"
#include "model/arch/registry.h"
#include "model/model.h"

namespace inhouse::model {
namespace {

struct TinyShape {
    std::uint32_t n_embd = 32;
    std::uint32_t n_heads = 4;
    std::uint32_t n_heads_kv = 2;
    std::uint32_t n_ff = 64;
    std::uint32_t n_layers = 2;
    std::uint32_t n_vocab = 16;
};

void add_f32(gguf::GgufWriter& writer, const std::string& name, std::vector<std::uint64_t> ne) {
    std::uint64_t n = 1;
    for (auto d : ne) n *= d;
    std::vector<float> values(n);
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 0.1f);
    for (auto& v : values) v = normal(rng);
    ASSERT_TRUE(writer.add_tensor(name, gguf::TensorType::F32, ne,
                                  {reinterpret_cast<const std::uint8_t*>(values.data()), n * 4}).ok());
}

// A 2-layer llama-architecture model with random F32 weights; `skip` leaves out one tensor and
// `reshape` overrides the shape of one (innermost first).
std::vector<std::uint8_t> tiny_llama(const std::string& architecture = "llama", const std::string& skip = "",
                                     const std::pair<std::string, std::vector<std::uint64_t>>& reshape = {}) {
    const TinyShape s;
    gguf::GgufWriter writer;
    writer.add_string("general.architecture", architecture);
    const auto key = [&](const char* suffix) { return architecture + "." + suffix; };
    writer.add_uint32(key("context_length"), 128);
    writer.add_uint32(key("embedding_length"), s.n_embd);
    writer.add_uint32(key("block_count"), s.n_layers);
    writer.add_uint32(key("attention.head_count"), s.n_heads);
    writer.add_uint32(key("attention.head_count_kv"), s.n_heads_kv);
    writer.add_uint32(key("feed_forward_length"), s.n_ff);
    writer.add_uint32(key("vocab_size"), s.n_vocab);
    const std::uint64_t head_dim = s.n_embd / s.n_heads;
    std::vector<std::pair<std::string, std::vector<std::uint64_t>>> tensors = {
        {"token_embd.weight", {s.n_embd, s.n_vocab}}, {"output_norm.weight", {s.n_embd}}};
    for (std::uint32_t layer = 0; layer < s.n_layers; ++layer) {
        const auto name = [&](const char* suffix) { return "blk." + std::to_string(layer) + "." + suffix + ".weight"; };
        tensors.push_back({name("attn_norm"), {s.n_embd}});
        tensors.push_back({name("attn_q"), {s.n_embd, s.n_embd}});
        tensors.push_back({name("attn_k"), {s.n_embd, head_dim * s.n_heads_kv}});
        tensors.push_back({name("attn_v"), {s.n_embd, head_dim * s.n_heads_kv}});
        tensors.push_back({name("attn_output"), {s.n_embd, s.n_embd}});
        tensors.push_back({name("ffn_norm"), {s.n_embd}});
        tensors.push_back({name("ffn_gate"), {s.n_embd, s.n_ff}});
        tensors.push_back({name("ffn_up"), {s.n_embd, s.n_ff}});
        tensors.push_back({name("ffn_down"), {s.n_ff, s.n_embd}});
    }
    for (auto& [name, ne] : tensors) {
        if (name == skip) continue;
        add_f32(writer, name, name == reshape.first ? reshape.second : ne);
    }
    return writer.finish();
}

std::string load_error(const std::vector<std::uint8_t>& bytes) {
    auto file = gguf::GgufFile::parse(bytes, "tiny.gguf");
    if (!file.ok()) return file.error().to_string();
    auto model = Model::load(std::make_shared<const gguf::GgufFile>(std::move(file).value()));
    return model.ok() ? "loaded" : model.error().to_string();
}

TEST(ModelLoad, ATinyLlamaLoadsWithItsHyperparameters) {
    const auto bytes = tiny_llama();
    auto file = gguf::GgufFile::parse(bytes, "tiny.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    auto model = Model::load(std::make_shared<const gguf::GgufFile>(std::move(file).value()));
    ASSERT_TRUE(model.ok()) << model.error().to_string();
    const auto& h = (*model)->hparams();
    EXPECT_EQ(h.head_dim_k, 8);
    EXPECT_EQ(h.k_dim(), 16);
    EXPECT_EQ(h.rope.n_dims, 8);
    EXPECT_EQ(h.rope.ordering, RopeOrdering::Adjacent);
    EXPECT_FLOAT_EQ(h.attention_scale, 1.0f / std::sqrt(8.0f));
    EXPECT_EQ((*model)->weights().output.data, (*model)->weights().token_embd.data) << "tied output";
}

TEST(ModelLoad, AnUnknownArchitectureListsTheSupportedOnes) {
    const auto error = load_error(tiny_llama("mamba"));
    EXPECT_NE(error.find("architecture 'mamba' is not supported (supported: llama, mistral, gemma3, qwen2)"),
              std::string::npos) << error;
}

TEST(ModelLoad, AMissingTensorIsNamed) {
    const auto error = load_error(tiny_llama("llama", "blk.1.attn_q.weight"));
    EXPECT_NE(error.find("missing tensor 'blk.1.attn_q.weight'"), std::string::npos) << error;
}

TEST(ModelLoad, AMisshapenTensorGivesBothShapes) {
    const auto error = load_error(tiny_llama("llama", "", {"blk.0.ffn_up.weight", {32, 48}}));
    EXPECT_NE(error.find("tensor 'blk.0.ffn_up.weight' has shape [48, 32], expected [64, 32]"),
              std::string::npos) << error;
}

TEST(ModelLoad, EveryRegisteredArchitectureHasNames) {
    for (const ArchSpec* spec : all_architectures()) {
        EXPECT_FALSE(spec->names.empty());
        EXPECT_NE(spec->load_hparams, nullptr);
    }
}

}  // namespace
}  // namespace inhouse::model
