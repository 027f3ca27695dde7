// A bad vocabulary is a clear load error naming the key, never an out-of-bounds access.
#include <gtest/gtest.h>

#include <functional>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::tokenizer {
namespace {

struct VocabSpec {
    std::string model = "gpt2";
    std::string pre = "gpt2";
    std::vector<std::string> tokens = {"a", "b", "ab", "<|end|>", "Ġ"};
    std::vector<std::int32_t> types = {1, 1, 1, 3, 1};
    std::vector<std::string> merges = {"a b"};
};

// Builds a vocabulary-only GGUF from `spec`, lets `edit` add or change keys, and loads it.
Result<Tokenizer> load_vocab(std::vector<std::uint8_t>& bytes, std::unique_ptr<gguf::GgufFile>& file,
                             const VocabSpec& spec,
                             const std::function<void(gguf::GgufWriter&)>& edit = nullptr) {
    gguf::GgufWriter writer;
    writer.add_string("tokenizer.ggml.model", spec.model);
    writer.add_string("tokenizer.ggml.pre", spec.pre);
    writer.add_string_array("tokenizer.ggml.tokens", spec.tokens);
    writer.add_int32_array("tokenizer.ggml.token_type", spec.types);
    if (spec.model == "gpt2") writer.add_string_array("tokenizer.ggml.merges", spec.merges);
    if (edit) edit(writer);
    bytes = writer.finish();
    auto parsed = gguf::GgufFile::parse(bytes, "vocab.gguf");
    if (!parsed.ok()) return std::move(parsed).error();
    file = std::make_unique<gguf::GgufFile>(std::move(parsed).value());
    return Tokenizer::load(*file);
}

std::string load_error(const VocabSpec& spec, const std::function<void(gguf::GgufWriter&)>& edit = nullptr) {
    std::vector<std::uint8_t> bytes;
    std::unique_ptr<gguf::GgufFile> file;
    auto loaded = load_vocab(bytes, file, spec, edit);
    return loaded.ok() ? std::string("loaded") : loaded.error().to_string();
}

TEST(VocabValidation, AWellFormedVocabularyLoadsAndMerges) {
    std::vector<std::uint8_t> bytes;
    std::unique_ptr<gguf::GgufFile> file;
    auto tokenizer = load_vocab(bytes, file, VocabSpec{});
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.error().to_string();
    EXPECT_EQ(tokenizer->encode("ab", {.add_special = false}), (std::vector<TokenId>{2}));
    EXPECT_EQ(tokenizer->encode("<|end|>", {.add_special = false, .parse_special = true}),
              (std::vector<TokenId>{3}));
}

TEST(VocabValidation, UnknownTokenizerModelAndPreTokenizerAreNamed) {
    VocabSpec spec;
    spec.model = "bert";
    EXPECT_NE(load_error(spec).find("unsupported tokenizer 'bert'"), std::string::npos);
    spec = {};
    spec.pre = "klingon";
    const auto error = load_error(spec);
    EXPECT_NE(error.find("unknown pre-tokenizer 'klingon'"), std::string::npos) << error;
    EXPECT_NE(error.find("smollm"), std::string::npos) << error;
}

TEST(VocabValidation, SpecialTokenIdsMustBeInsideTheVocabulary) {
    const auto error = load_error(VocabSpec{}, [](gguf::GgufWriter& w) {
        w.add_uint32("tokenizer.ggml.eos_token_id", 5);
    });
    EXPECT_NE(error.find("tokenizer.ggml.eos_token_id: token id 5 is outside the vocabulary of 5"),
              std::string::npos) << error;
    const auto negative = load_error(VocabSpec{}, [](gguf::GgufWriter& w) {
        w.add_int32("tokenizer.ggml.bos_token_id", -7);
    });
    EXPECT_NE(negative.find("tokenizer.ggml.bos_token_id: token id -7"), std::string::npos) << negative;
}

TEST(VocabValidation, MergesMustNameExistingTokens) {
    VocabSpec spec;
    spec.merges = {"a b", "a zz"};
    EXPECT_NE(load_error(spec).find("merge 1 ('a zz') does not name two tokens"), std::string::npos);
    spec.merges = {"nospace"};
    EXPECT_NE(load_error(spec).find("merge 0 ('nospace')"), std::string::npos);
}

TEST(VocabValidation, ByteTokensMustBeWellFormed) {
    VocabSpec spec;
    spec.model = "llama";
    spec.tokens = {"<unk>", "<s>", "</s>", "<0x4G>"};
    spec.types = {2, 3, 3, 6};
    EXPECT_NE(load_error(spec).find("byte token 3 is not of the form <0xNN>"), std::string::npos);
}

TEST(VocabValidation, ArraysMustHaveTheExpectedTypesAndLengths) {
    VocabSpec spec;
    spec.types = {1, 1, 1};
    EXPECT_NE(load_error(spec).find("tokenizer.ggml.token_type: 3 entries for 5 tokens"),
              std::string::npos);
    spec = {};
    spec.types = {1, 1, 1, 9, 1};
    EXPECT_NE(load_error(spec).find("token 3 has unknown type 9"), std::string::npos);
    const auto scores = load_error(VocabSpec{}, [](gguf::GgufWriter& w) {
        w.add_int32_array("tokenizer.ggml.scores", {1, 2, 3, 4, 5});
    });
    EXPECT_NE(scores.find("tokenizer.ggml.scores: expected an array of float32, got an array of int32"),
              std::string::npos) << scores;
}

TEST(VocabValidation, AFileWithoutTokenizerSaysSo) {
    gguf::GgufWriter writer;
    writer.add_string("general.architecture", "llama");
    const auto bytes = writer.finish();
    auto file = gguf::GgufFile::parse(bytes, "bare.gguf");
    ASSERT_TRUE(file.ok());
    const auto tokenizer = Tokenizer::load(*file);
    ASSERT_FALSE(tokenizer.ok());
    EXPECT_NE(tokenizer.error().to_string().find("tokenizer.ggml.model: missing"), std::string::npos);
}

TEST(SpecialTokens, UserTextCannotInjectControlTokensUnlessAsked) {
    std::vector<std::uint8_t> bytes;
    std::unique_ptr<gguf::GgufFile> file;
    VocabSpec spec;
    spec.tokens = {"<", "|", "e", "n", "d", ">", "<|end|>", "<tool>"};
    spec.types = {1, 1, 1, 1, 1, 1, 3, 4};
    spec.merges = {};
    auto tokenizer = load_vocab(bytes, file, spec);
    ASSERT_TRUE(tokenizer.ok()) << tokenizer.error().to_string();
    const auto as_text = tokenizer->encode("<|end|>", {.add_special = false, .parse_special = false});
    EXPECT_EQ(std::count(as_text.begin(), as_text.end(), 6), 0);
    EXPECT_EQ(tokenizer->encode("<|end|>", {.add_special = false, .parse_special = true}),
              (std::vector<TokenId>{6}));
    // User-defined tokens are part of the vocabulary's text, matched either way.
    EXPECT_EQ(tokenizer->encode("<tool>", {.add_special = false}), (std::vector<TokenId>{7}));
    EXPECT_EQ(tokenizer->decode(std::vector<TokenId>{6, 7}), "<tool>");
    EXPECT_EQ(tokenizer->decode(std::vector<TokenId>{6, 7}, {.render_special = true}), "<|end|><tool>");
}

}  // namespace
}  // namespace inhouse::tokenizer
