// Every BPE pre-tokenizer against llama.cpp: the GPT-2 vocabulary rewritten with each
// tokenizer.ggml.pre value (the same files tools/make_pretokenizer_fixtures.py builds), so the
// regular expressions are what is tested, on the whole corpus.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::tokenizer {
namespace {

nlohmann::json read_json(const std::string& path) {
    std::ifstream stream(path);
    std::stringstream text;
    text << stream.rdbuf();
    return nlohmann::json::parse(text.str(), nullptr, false);
}

std::string from_hex(const std::string& hex) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

std::vector<std::string> strings_of(const gguf::GgufFile& file, const char* key) {
    const auto* array = file.get_array(key);
    return {array->strings.begin(), array->strings.end()};
}

// The GPT-2 vocabulary with another pre-tokenizer.
std::vector<std::uint8_t> gpt2_vocab_with_pre(const gguf::GgufFile& source, const std::string& pre) {
    gguf::GgufWriter writer;
    writer.add_string("tokenizer.ggml.model", "gpt2");
    writer.add_string("tokenizer.ggml.pre", pre);
    writer.add_string_array("tokenizer.ggml.tokens", strings_of(source, "tokenizer.ggml.tokens"));
    const auto* types = source.get_array("tokenizer.ggml.token_type");
    std::vector<std::int32_t> type_values;
    for (std::uint64_t i = 0; i < types->n_elements; ++i) {
        type_values.push_back(static_cast<std::int32_t>(*types->element(i).as_int()));
    }
    writer.add_int32_array("tokenizer.ggml.token_type", type_values);
    writer.add_string_array("tokenizer.ggml.merges", strings_of(source, "tokenizer.ggml.merges"));
    writer.add_uint32("tokenizer.ggml.bos_token_id", static_cast<std::uint32_t>(*source.get_uint("tokenizer.ggml.bos_token_id")));
    writer.add_uint32("tokenizer.ggml.eos_token_id", static_cast<std::uint32_t>(*source.get_uint("tokenizer.ggml.eos_token_id")));
    return writer.finish();
}

class PreTokenizerVariants : public ::testing::TestWithParam<const char*> {};

TEST_P(PreTokenizerVariants, EveryCorpusStringGivesLlamaCppIds) {
    const std::string data = INHOUSE_TEST_DATA_DIR;
    auto source = gguf::GgufFile::open(data + "/vocab/ggml-vocab-gpt-2.gguf");
    ASSERT_TRUE(source.ok());
    const auto bytes = gpt2_vocab_with_pre(*source, GetParam());
    auto file = gguf::GgufFile::parse(bytes, GetParam());
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    auto tokenizer = Tokenizer::load(*file);
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.error().to_string();
    const auto corpus = read_json(data + "/tokenizer/corpus.json");
    const auto expected = read_json(data + "/tokenizer/pre_variants.json")["variants"][GetParam()];
    ASSERT_EQ(corpus.size(), expected.size());
    int mismatches = 0;
    for (std::size_t i = 0; i < corpus.size(); ++i) {
        const std::string text = corpus[i].contains("text") ? corpus[i]["text"].get<std::string>()
                                                            : from_hex(corpus[i]["hex"].get<std::string>());
        const auto ids = tokenizer->encode(text, {.add_special = true});
        if (ids != expected[i].get<std::vector<TokenId>>()) {
            ++mismatches;
            ADD_FAILURE() << GetParam() << ": corpus entry " << i << " " << corpus[i].dump();
        }
    }
    EXPECT_EQ(mismatches, 0);
}

INSTANTIATE_TEST_SUITE_P(LlamaCpp, PreTokenizerVariants,
                         ::testing::Values("llama-bpe", "qwen2", "default", "smollm", "gpt-2"),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             for (auto& c : name) c = c == '-' ? '_' : c;
                             return name;
                         });

}  // namespace
}  // namespace inhouse::tokenizer
