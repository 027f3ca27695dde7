// llama.cpp's own tokenizer test vectors (tests/data/vocab, MIT): vocabulary-only GGUF files
// of Llama 2 (SentencePiece), Phi-3 (SentencePiece) and GPT-2 (byte-level BPE).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::tokenizer {
namespace {

std::string read_text(const std::string& path) {
    std::ifstream stream(path, std::ios::binary);
    std::stringstream text;
    text << stream.rdbuf();
    return text.str();
}

std::vector<std::string> split(const std::string& text, const std::string& separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (auto pos = text.find(separator); pos != std::string::npos; pos = text.find(separator, start)) {
        parts.push_back(text.substr(start, pos - start));
        start = pos + separator.size();
    }
    parts.push_back(text.substr(start));
    return parts;
}

class LlamaCppVocabVectors : public ::testing::TestWithParam<const char*> {};

TEST_P(LlamaCppVocabVectors, EveryStringGivesTheExpectedIds) {
    const std::string base = std::string(INHOUSE_TEST_DATA_DIR) + "/vocab/ggml-vocab-" + GetParam() + ".gguf";
    auto file = gguf::GgufFile::open(base);
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    auto tokenizer = Tokenizer::load(*file);
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.error().to_string();
    const auto inputs = split(read_text(base + ".inp"), "\n__ggml_vocab_test__\n");
    const auto outputs = split(read_text(base + ".out"), "\n");
    ASSERT_GE(outputs.size(), inputs.size());
    ASSERT_GT(inputs.size(), 40u);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::vector<TokenId> expected;
        std::istringstream ids(outputs[i]);
        for (TokenId id = 0; ids >> id;) expected.push_back(id);
        EXPECT_EQ(tokenizer->encode(inputs[i], {.add_special = false}), expected)
            << "string " << i << ": '" << inputs[i] << "'";
    }
}

INSTANTIATE_TEST_SUITE_P(Vocabularies, LlamaCppVocabVectors,
                         ::testing::Values("gpt-2", "llama-spm", "phi-3"),
                         [](const auto& param_info) {
                             std::string name = param_info.param;
                             for (auto& c : name) c = c == '-' ? '_' : c;
                             return name;
                         });

}  // namespace
}  // namespace inhouse::tokenizer
