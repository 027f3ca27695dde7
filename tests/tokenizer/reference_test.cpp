// The tokenizers against llama.cpp on the real models: ids for every corpus string in both
// modes (user text; rendered template with special tokens), the decoded text, and round trips.
// Fixtures: tests/data/tokenizer/{corpus,smollm2,gemma3-270m}.json, made by
// tools/make_tokenizer_fixtures.py. Model paths come from INHOUSE_TEST_SMOLLM2 and
// INHOUSE_TEST_GEMMA3; unset, the test is skipped (or fails when INHOUSE_REQUIRE_MODELS=1).
#include <gtest/gtest.h>

#include "support/real_models.h"

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/utf8.h"
#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::tokenizer {
namespace {

std::string from_hex(const std::string& hex) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

nlohmann::json read_json(const std::string& path) {
    std::ifstream stream(path);
    std::stringstream text;
    text << stream.rdbuf();
    return nlohmann::json::parse(text.str(), nullptr, false);
}

std::string ids_text(const std::vector<TokenId>& ids) {
    std::string text;
    for (const auto id : ids) text += std::to_string(id) + " ";
    return text;
}

struct ModelCase {
    const char* variable;
    const char* fixture;
};

class TokenizerReference : public ::testing::TestWithParam<ModelCase> {
protected:
    void SetUp() override {
        const auto path = test_models::real_model_path(GetParam().variable);
        if (!path) GTEST_SKIP() << "set " << GetParam().variable << " to run this test";
        auto file = gguf::GgufFile::open(*path);
        ASSERT_TRUE(file.ok()) << file.error().to_string();
        file_ = std::make_unique<gguf::GgufFile>(std::move(file).value());
        auto tokenizer = Tokenizer::load(*file_);
        ASSERT_TRUE(tokenizer.ok()) << tokenizer.error().to_string();
        tokenizer_.emplace(std::move(tokenizer).value());
        corpus_ = read_json(std::string(INHOUSE_TEST_DATA_DIR) + "/tokenizer/corpus.json");
        expected_ = read_json(std::string(INHOUSE_TEST_DATA_DIR) + "/tokenizer/" + GetParam().fixture);
        ASSERT_TRUE(corpus_.is_array());
        ASSERT_TRUE(expected_.is_object());
        ASSERT_EQ(corpus_.size(), expected_["cases"].size());
        ASSERT_GE(corpus_.size(), 300u);
    }

    std::string text(std::size_t index) const {
        const auto& entry = corpus_[index];
        return entry.contains("text") ? entry["text"].get<std::string>()
                                      : from_hex(entry["hex"].get<std::string>());
    }

    std::unique_ptr<gguf::GgufFile> file_;
    std::optional<Tokenizer> tokenizer_;
    nlohmann::json corpus_;
    nlohmann::json expected_;
};

TEST_P(TokenizerReference, UserTextGivesLlamaCppIdsForEveryCorpusString) {
    int mismatches = 0;
    for (std::size_t i = 0; i < corpus_.size(); ++i) {
        const auto expected = expected_["cases"][i]["plain"].get<std::vector<TokenId>>();
        const auto got = tokenizer_->encode(text(i), {.add_special = true, .parse_special = false});
        if (got != expected) {
            ++mismatches;
            ADD_FAILURE() << "corpus entry " << i << " " << corpus_[i].dump() << "\nexpected "
                          << ids_text(expected) << "\ngot      " << ids_text(got);
        }
    }
    EXPECT_EQ(mismatches, 0);
}

TEST_P(TokenizerReference, TemplateTextWithSpecialTokensGivesLlamaCppIds) {
    for (std::size_t i = 0; i < corpus_.size(); ++i) {
        const auto expected = expected_["cases"][i]["special"].get<std::vector<TokenId>>();
        const auto got = tokenizer_->encode(text(i), {.add_special = false, .parse_special = true});
        EXPECT_EQ(got, expected) << "corpus entry " << i << " " << corpus_[i].dump();
    }
}

TEST_P(TokenizerReference, DecodingGivesLlamaCppText) {
    for (std::size_t i = 0; i < corpus_.size(); ++i) {
        const auto ids = expected_["cases"][i]["plain"].get<std::vector<TokenId>>();
        const auto expected = from_hex(expected_["cases"][i]["decoded_hex"].get<std::string>());
        EXPECT_EQ(tokenizer_->decode(ids), expected) << "corpus entry " << i;
    }
}

TEST_P(TokenizerReference, DecodeOfEncodeIsTheOriginalValidText) {
    for (std::size_t i = 0; i < corpus_.size(); ++i) {
        const auto original = text(i);
        if (!is_valid_utf8(original)) continue;  // invalid bytes become U+FFFD by design
        const auto ids = tokenizer_->encode(original, {.add_special = true});
        EXPECT_EQ(tokenizer_->decode(ids, {.remove_special = true}), original)
            << "corpus entry " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(RealModels, TokenizerReference,
                         ::testing::Values(ModelCase{"INHOUSE_TEST_SMOLLM2", "smollm2.json"},
                                           ModelCase{"INHOUSE_TEST_GEMMA3", "gemma3-270m.json"}),
                         [](const auto& param_info) {
                             return std::string(param_info.param.fixture).starts_with("smollm2")
                                        ? std::string("SmolLM2")
                                        : std::string("Gemma3");
                         });

}  // namespace
}  // namespace inhouse::tokenizer
