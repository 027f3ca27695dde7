// Tiny models with deterministic F32 weights against llama.cpp on the same weights: with no
// quantization noise the logits must agree to float rounding. `llama` has a separate output
// matrix and a rope_freqs tensor (Llama 3's frequency scaling); `qwen2` has q/k/v biases, RoPE
// on halves and a tied output. The fixture comes from tools/make_synthetic_fixtures.py, which
// uses the same generator as weights() here.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/thread_pool.h"
#include "gguf/gguf_writer.h"
#include "model/forward.h"

namespace inhouse::model {
namespace {

constexpr std::uint64_t kEmbd = 64, kHeads = 4, kHeadsKv = 2, kFf = 128, kLayers = 2, kVocab = 256;
constexpr std::uint64_t kHeadDim = kEmbd / kHeads;

// xorshift64* from `seed`; each draw's top 24 bits → uniform [-1, 1) × scale.
std::vector<float> weights(std::uint64_t seed, std::uint64_t n, float scale) {
    std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
    std::vector<float> out(n);
    for (auto& value : out) {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        const std::uint64_t draw = state * 0x2545F4914F6CDD1Dull;
        value = static_cast<float>((static_cast<double>(draw >> 40) / static_cast<double>(1 << 23) - 1.0) * scale);
    }
    return out;
}

struct TensorSpec {
    std::string name;
    std::vector<std::uint64_t> shape;  // outermost first
    std::uint64_t seed;
    float scale;
    bool is_norm;
};

std::vector<TensorSpec> tensor_specs(const std::string& arch) {
    std::vector<TensorSpec> specs = {{"token_embd.weight", {kVocab, kEmbd}, 1, 1.0f, false},
                                     {"output_norm.weight", {kEmbd}, 2, 0.2f, true}};
    if (arch == "llama") {
        specs.push_back({"output.weight", {kVocab, kEmbd}, 3, 0.3f, false});
        specs.push_back({"rope_freqs.weight", {kHeadDim / 2}, 4, 0.0f, false});
    }
    for (std::uint64_t layer = 0; layer < kLayers; ++layer) {
        const std::uint64_t base = 100 * (layer + 1);
        const auto name = [&](const char* suffix) { return "blk." + std::to_string(layer) + "." + suffix + ".weight"; };
        const std::uint64_t kv = kHeadDim * kHeadsKv;
        if (arch == "qwen2") {
            const auto bias = [&](const char* suffix) { return "blk." + std::to_string(layer) + "." + suffix + ".bias"; };
            specs.push_back({bias("attn_q"), {kEmbd}, base + 10, 0.1f, false});
            specs.push_back({bias("attn_k"), {kv}, base + 11, 0.1f, false});
            specs.push_back({bias("attn_v"), {kv}, base + 12, 0.1f, false});
        }
        specs.push_back({name("attn_norm"), {kEmbd}, base + 1, 0.2f, true});
        specs.push_back({name("attn_q"), {kEmbd, kEmbd}, base + 2, 0.25f, false});
        specs.push_back({name("attn_k"), {kv, kEmbd}, base + 3, 0.25f, false});
        specs.push_back({name("attn_v"), {kv, kEmbd}, base + 4, 0.25f, false});
        specs.push_back({name("attn_output"), {kEmbd, kEmbd}, base + 5, 0.25f, false});
        specs.push_back({name("ffn_norm"), {kEmbd}, base + 6, 0.2f, true});
        specs.push_back({name("ffn_gate"), {kFf, kEmbd}, base + 7, 0.25f, false});
        specs.push_back({name("ffn_up"), {kFf, kEmbd}, base + 8, 0.25f, false});
        specs.push_back({name("ffn_down"), {kEmbd, kFf}, base + 9, 0.25f, false});
    }
    return specs;
}

std::vector<std::uint8_t> synthetic_model(const std::string& arch) {
    gguf::GgufWriter writer;
    writer.add_string("general.architecture", arch);
    const auto key = [&](const char* suffix) { return arch + "." + suffix; };
    writer.add_uint32(key("context_length"), 64);
    writer.add_uint32(key("embedding_length"), kEmbd);
    writer.add_uint32(key("block_count"), kLayers);
    writer.add_uint32(key("feed_forward_length"), kFf);
    writer.add_uint32(key("attention.head_count"), kHeads);
    writer.add_uint32(key("attention.head_count_kv"), kHeadsKv);
    writer.add_uint32(key("rope.dimension_count"), kHeadDim);
    writer.add_float32(key("rope.freq_base"), 10000.0f);
    writer.add_float32(key("attention.layer_norm_rms_epsilon"), 1e-5f);
    writer.add_uint32(key("vocab_size"), kVocab);
    for (const auto& spec : tensor_specs(arch)) {
        std::uint64_t n = 1;
        for (const auto dim : spec.shape) n *= dim;
        std::vector<float> values;
        if (spec.name == "rope_freqs.weight") {
            for (std::uint64_t i = 0; i < n; ++i) values.push_back(1.0f + 7.0f * static_cast<float>(i) / static_cast<float>(n - 1));
        } else {
            values = weights(spec.seed, n, spec.scale);
            if (spec.is_norm) {
                for (auto& v : values) v += 1.0f;
            }
        }
        std::vector<std::uint64_t> ne(spec.shape.rbegin(), spec.shape.rend());
        EXPECT_TRUE(writer.add_tensor(spec.name, gguf::TensorType::F32, ne,
                                      {reinterpret_cast<const std::uint8_t*>(values.data()), values.size() * 4}).ok());
    }
    return writer.finish();
}

class SyntheticModel : public ::testing::TestWithParam<const char*> {};

TEST_P(SyntheticModel, LogitsMatchLlamaCppToFloatRounding) {
    const std::string arch = GetParam();
    std::ifstream stream(std::string(INHOUSE_TEST_DATA_DIR) + "/model/synthetic.json");
    std::stringstream text;
    text << stream.rdbuf();
    const auto all = nlohmann::json::parse(text.str(), nullptr, false);
    ASSERT_TRUE(all.is_object());
    const auto& fixture = all["models"][arch];
    const auto bytes = synthetic_model(arch);
    auto file = gguf::GgufFile::parse(bytes, "synthetic.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    auto model = Model::load(std::make_shared<const gguf::GgufFile>(std::move(file).value()));
    ASSERT_TRUE(model.ok()) << model.error().to_string();
    const auto& weights = (*model)->weights();
    if (arch == "llama") {
        ASSERT_FALSE(weights.rope_freqs.empty());
        ASSERT_NE(weights.output.data, weights.token_embd.data);
    } else {
        ASSERT_FALSE(weights.layers[0].attn_q_bias.empty());
        ASSERT_EQ(weights.output.data, weights.token_embd.data);
    }

    const auto tokens = fixture["tokens"].get<std::vector<std::int32_t>>();
    const auto& h = (*model)->hparams();
    ThreadPool pool(2);
    auto cache = KvCache::create(h, 64, 1, KvCacheType::F32);  // as the oracle: float rounding only
    ASSERT_TRUE(cache.ok());
    auto activations = Activations::create(h, (*model)->weights(), 16, 64, 2);
    std::vector<BatchToken> batch;
    for (std::size_t i = 0; i < tokens.size(); ++i) batch.push_back({tokens[i], static_cast<std::int64_t>(i), 0, true});
    const auto logits = forward(**model, batch, *cache, activations, pool);
    float worst = 0;
    for (std::size_t pos = 0; pos < tokens.size(); ++pos) {
        const auto expected = fixture["logits"][pos].get<std::vector<float>>();
        ASSERT_EQ(expected.size(), kVocab);
        for (std::size_t id = 0; id < kVocab; ++id) {
            worst = std::max(worst, std::fabs(logits[pos * kVocab + id] - expected[id]));
        }
    }
    EXPECT_LT(worst, 1e-4f) << "largest logit difference over " << tokens.size() << " positions";
    std::cout << "[ logits   ] synthetic " << arch << ": max |Δlogit| = " << worst << "\n";
}

INSTANTIATE_TEST_SUITE_P(Architectures, SyntheticModel, ::testing::Values("llama", "qwen2"));

}  // namespace
}  // namespace inhouse::model
