// GgufFile::parse and open: the malformed corpus, truncation and corruption sweeps, and
// round trips of GgufWriter output.
#include "gguf/gguf_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "gguf/malformed_corpus.h"
#include "gguf/valid_files.h"

namespace inhouse::gguf {

namespace fixtures {
// Keeps gtest from printing a whole byte buffer for each parameter.
void PrintTo(const MalformedCase& malformed, std::ostream* out) { *out << malformed.name; }
}  // namespace fixtures

namespace {

using fixtures::Bytes;

::testing::AssertionResult contains(const std::string& text, std::string_view part) {
    if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "\"" << text << "\"\n    does not contain \"" << part << "\"";
}

// Whether an error reads as a file that ends too early.
bool is_truncation_error(const std::string& message) {
    return message.find("(truncated file)") != std::string::npos ||
           message.find("bytes left in the file") != std::string::npos ||
           message.find("runs past end of file") != std::string::npos;
}

// The shortest prefix that still parses: up to the end of the last tensor's data, or the
// whole file when it has no tensors (such files end right after their metadata).
std::uint64_t required_size(const GgufFile& file) {
    if (file.tensors().empty()) return file.size_bytes();
    std::uint64_t end = 0;
    for (const auto& tensor : file.tensors()) {
        end = std::max(end, tensor.file_offset + tensor.size_bytes);
    }
    return end;
}

class MalformedFile : public ::testing::TestWithParam<fixtures::MalformedCase> {};

TEST_P(MalformedFile, IsRefusedWithItsExpectedError) {
    const auto& malformed = GetParam();
    const std::string label = "corpus/" + malformed.name + ".gguf";
    const auto file = GgufFile::parse(malformed.bytes, label);
    ASSERT_FALSE(file.ok()) << malformed.name << " parsed without error";
    EXPECT_EQ(file.error().code(), ErrorCode::InvalidFormat);
    const auto message = file.error().to_string();
    EXPECT_TRUE(contains(message, malformed.expected_error));
    EXPECT_TRUE(contains(message, label + ": "));
}

INSTANTIATE_TEST_SUITE_P(Corpus, MalformedFile, ::testing::ValuesIn(fixtures::malformed_corpus()),
                         [](const auto& test_param) { return test_param.param.name; });

TEST(MalformedCorpus, HasAtLeast35UniquelyNamedNonEmptyCases) {
    const auto corpus = fixtures::malformed_corpus();
    EXPECT_GE(corpus.size(), 35u);
    std::set<std::string> names;
    for (const auto& malformed : corpus) {
        EXPECT_TRUE(names.insert(malformed.name).second) << "duplicate name " << malformed.name;
        EXPECT_FALSE(malformed.expected_error.empty()) << malformed.name;
    }
}

TEST(ValidFiles, AllParse) {
    for (const auto& valid : fixtures::valid_files()) {
        const auto file = GgufFile::parse(valid.bytes, valid.name);
        EXPECT_TRUE(file.ok()) << valid.name << ": " << file.error().to_string();
    }
}

TEST(GgufFileTruncation, EveryPrefixShorterThanTheDataFailsAsTruncatedAndLongerOnesParse) {
    for (const auto& valid : fixtures::valid_files()) {
        const auto whole = GgufFile::parse(valid.bytes, valid.name);
        ASSERT_TRUE(whole.ok()) << whole.error().to_string();
        const std::uint64_t needed = required_size(*whole);
        for (std::size_t n_bytes = 0; n_bytes < valid.bytes.size(); ++n_bytes) {
            // An exact-size copy, so that a sanitizer sees any read past the end.
            const auto prefix = fixtures::truncated(valid.bytes, n_bytes);
            const auto file = GgufFile::parse(prefix, valid.name);
            if (n_bytes >= needed) {
                EXPECT_TRUE(file.ok()) << valid.name << " cut at " << n_bytes;
                continue;
            }
            ASSERT_FALSE(file.ok()) << valid.name << " cut at " << n_bytes << " parsed";
            EXPECT_EQ(file.error().code(), ErrorCode::InvalidFormat);
            EXPECT_TRUE(is_truncation_error(file.error().to_string()))
                << valid.name << " cut at " << n_bytes << ": " << file.error().to_string();
        }
    }
}

TEST(GgufFileCorruption, EveryHeaderByteOverwrittenParsesOrFailsWithInvalidFormat) {
    for (const auto& valid : fixtures::valid_files()) {
        const auto whole = GgufFile::parse(valid.bytes, valid.name);
        ASSERT_TRUE(whole.ok());
        const auto header_end = std::min(whole->data_section_offset(), whole->size_bytes());
        for (std::size_t offset = 0; offset < header_end; ++offset) {
            for (const std::uint8_t value :
                 {std::uint8_t{0x00}, std::uint8_t{0xff},
                  static_cast<std::uint8_t>(valid.bytes[offset] ^ 0x80)}) {
                auto corrupt = valid.bytes;
                corrupt[offset] = value;
                const auto file = GgufFile::parse(corrupt, valid.name);
                if (file.ok()) continue;
                EXPECT_EQ(file.error().code(), ErrorCode::InvalidFormat);
                EXPECT_TRUE(contains(file.error().to_string(), valid.name + ": "));
            }
        }
    }
}

TEST(GgufFile, AcceptsVersion2) {
    auto bytes = fixtures::make_valid_model();
    fixtures::patch_u32(bytes, 4, 2);
    const auto file = GgufFile::parse(bytes, "v2.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    EXPECT_EQ(file->version(), 2u);
}

TEST(GgufFile, RoundTripsWriterOutputWithAlignment64) {
    GgufWriter writer;
    writer.add_string("general.architecture", "test");
    writer.add_uint32("test.uint32", 4000000000u);
    writer.add_int32("test.int32", -7);
    writer.add_uint64("test.uint64", 1ull << 40);
    writer.add_float32("test.float32", 0.25f);
    writer.add_bool("test.bool", false);
    writer.add_string_array("test.strings", {"a", "", "\xe2\x82\xac"});
    writer.add_int32_array("test.int32s", {-1, 0, 1 << 30});
    writer.add_float32_array("test.float32s", {1.5f, -0.5f});
    writer.set_alignment(64);
    const auto data_a = fixtures::tensor_pattern(48, 1);   // F32 [3, 4]
    const auto data_b = fixtures::tensor_pattern(136, 2);  // Q8_0 [2, 2, 32]
    const auto data_c = fixtures::tensor_pattern(20, 3);   // F16 [5, 1, 1, 2]
    ASSERT_TRUE(writer.add_tensor("a", TensorType::F32, {4, 3}, data_a).ok());
    ASSERT_TRUE(writer.add_tensor("b", TensorType::Q8_0, {32, 2, 2}, data_b).ok());
    ASSERT_TRUE(writer.add_tensor("c", TensorType::F16, {2, 1, 1, 5}, data_c).ok());
    const auto bytes = writer.finish();

    const auto file = GgufFile::parse(bytes, "roundtrip.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    EXPECT_EQ(file->version(), 3u);
    EXPECT_EQ(file->alignment(), 64u);
    EXPECT_EQ(file->size_bytes(), bytes.size());
    EXPECT_EQ(file->data_section_offset() % 64, 0u);
    ASSERT_EQ(file->metadata().size(), 10u);
    EXPECT_EQ(file->metadata()[0].key, "general.architecture");
    EXPECT_EQ(file->metadata()[9].key, "general.alignment");
    EXPECT_EQ(file->architecture(), "test");
    EXPECT_EQ(file->get_uint("test.uint32"), 4000000000u);
    EXPECT_EQ(file->find("test.int32")->as_int(), -7);
    EXPECT_EQ(file->get_uint("test.uint64"), 1ull << 40);
    EXPECT_EQ(file->get_float("test.float32"), 0.25);
    EXPECT_EQ(file->get_bool("test.bool"), false);
    EXPECT_EQ(file->get_uint("general.alignment"), 64u);

    const ArrayValue* strings = file->get_array("test.strings");
    ASSERT_NE(strings, nullptr);
    EXPECT_EQ(strings->element_type, ValueType::String);
    EXPECT_EQ(strings->n_elements, 3u);
    EXPECT_EQ(strings->strings, (std::vector<std::string_view>{"a", "", "\xe2\x82\xac"}));
    const ArrayValue* ints = file->get_array("test.int32s");
    ASSERT_NE(ints, nullptr);
    ASSERT_EQ(ints->n_elements, 3u);
    EXPECT_EQ(ints->element(0).as_int(), -1);
    EXPECT_EQ(ints->element(2).as_int(), 1 << 30);
    const ArrayValue* floats = file->get_array("test.float32s");
    ASSERT_NE(floats, nullptr);
    ASSERT_EQ(floats->n_elements, 2u);
    EXPECT_EQ(floats->element(1).as_float(), -0.5);

    ASSERT_EQ(file->tensors().size(), 3u);
    const struct {
        std::string_view name;
        TensorType type;
        std::vector<std::uint64_t> shape;
        std::uint64_t n_elements, data_offset;
        const Bytes& data;
    } expected[] = {
        {"a", TensorType::F32, {3, 4}, 12, 0, data_a},
        {"b", TensorType::Q8_0, {2, 2, 32}, 128, 64, data_b},
        {"c", TensorType::F16, {5, 1, 1, 2}, 10, 256, data_c},
    };
    for (std::size_t i = 0; i < 3; ++i) {
        const TensorInfo& tensor = file->tensors()[i];
        SCOPED_TRACE(tensor.name);
        EXPECT_EQ(tensor.name, expected[i].name);
        EXPECT_EQ(tensor.type, expected[i].type);
        EXPECT_EQ(tensor.n_dims, expected[i].shape.size());
        EXPECT_EQ(tensor.shape(), expected[i].shape);
        EXPECT_EQ(tensor.n_elements, expected[i].n_elements);
        EXPECT_EQ(tensor.size_bytes, expected[i].data.size());
        EXPECT_EQ(tensor.data_offset, expected[i].data_offset);
        EXPECT_EQ(tensor.file_offset, file->data_section_offset() + tensor.data_offset);
        EXPECT_EQ(tensor.file_offset % 64, 0u);
        EXPECT_TRUE(std::equal(tensor.data.begin(), tensor.data.end(), expected[i].data.begin(),
                               expected[i].data.end()));
        EXPECT_EQ(file->find_tensor(tensor.name), &tensor);
    }
    EXPECT_EQ(file->tensors()[0].ne, (std::array<std::uint64_t, kMaxDims>{4, 3, 1, 1}));
    EXPECT_EQ(file->find_tensor("missing"), nullptr);
}

TEST(GgufFile, ParsesVocabOnlyFileWithoutTensors) {
    const auto bytes = fixtures::make_vocab_only();
    const auto file = GgufFile::parse(bytes, "vocab.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    EXPECT_TRUE(file->tensors().empty());
    EXPECT_EQ(file->architecture(), "llama");
    EXPECT_EQ(file->data_section_offset(), bytes.size());
    const ArrayValue* tokens = file->get_array("tokenizer.ggml.tokens");
    ASSERT_NE(tokens, nullptr);
    EXPECT_EQ(tokens->strings,
              (std::vector<std::string_view>{"<unk>", "<s>", "</s>", "hello", "world"}));
}

TEST(GgufFile, ParsesVocabOnlyFileWithoutArchitecture) {
    const auto bytes = fixtures::make_model_writer("general.architecture").finish();
    const auto file = GgufFile::parse(bytes, "vocab.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    EXPECT_EQ(file->architecture(), "");
}

TEST(GgufFile, ParsesArraysNestedFourDeep) {
    const auto bytes = fixtures::make_nested_arrays(4);
    const auto file = GgufFile::parse(bytes, "nested.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    const ArrayValue* level = file->get_array("test.nested");
    for (int depth = 0; depth < 3; ++depth) {
        ASSERT_NE(level, nullptr);
        ASSERT_EQ(level->element_type, ValueType::Array);
        ASSERT_EQ(level->arrays.size(), 1u);
        level = level->arrays[0].as_array();
    }
    ASSERT_NE(level, nullptr);
    ASSERT_EQ(level->n_elements, 1u);
    EXPECT_EQ(level->element(0).as_uint(), 7u);
}

class EveryValueType : public ::testing::Test {
protected:
    void SetUp() override {
        auto parsed = GgufFile::parse(bytes_, "types.gguf");
        ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
        file_.emplace(std::move(parsed).value());
    }
    const GgufFile& file() const { return *file_; }

    Bytes bytes_ = fixtures::make_every_value_type();
    std::optional<GgufFile> file_;
};

TEST_F(EveryValueType, ReadsEachTypeWithItsValue) {
    ASSERT_EQ(file().metadata().size(), 18u);
    EXPECT_EQ(file().find("test.uint16")->type(), ValueType::Uint16);
    EXPECT_EQ(file().get_uint("test.uint16"), 65535u);
    EXPECT_EQ(file().find("test.int16")->as_int(), -300);
    EXPECT_EQ(file().find("test.int32")->as_int(), -2000000000);
    EXPECT_EQ(file().get_uint("test.uint32"), 4000000000u);
    EXPECT_EQ(file().get_float("test.float32"), 0.5);
    EXPECT_EQ(file().get_float("test.float64"), -2.25);
    EXPECT_EQ(file().get_bool("test.bool"), true);
    EXPECT_EQ(file().get_string("test.string"), "h\xc3\xa9llo");
    EXPECT_EQ(file().get_string("test.empty_string"), "");
    const ArrayValue* empty = file().get_array("test.empty_array");
    ASSERT_NE(empty, nullptr);
    EXPECT_EQ(empty->element_type, ValueType::Uint32);
    EXPECT_EQ(empty->n_elements, 0u);
}

TEST_F(EveryValueType, ReadsArrayElementsOfEveryKind) {
    const ArrayValue* bools = file().get_array("test.bool_array");
    ASSERT_NE(bools, nullptr);
    ASSERT_EQ(bools->n_elements, 3u);
    EXPECT_EQ(bools->element(0).as_bool(), true);
    EXPECT_EQ(bools->element(1).as_bool(), false);
    const ArrayValue* shorts = file().get_array("test.uint16_array");
    ASSERT_NE(shorts, nullptr);
    ASSERT_EQ(shorts->n_elements, 3u);
    EXPECT_EQ(shorts->element(2).as_uint(), 3u);
    const ArrayValue* nested = file().get_array("test.nested");
    ASSERT_NE(nested, nullptr);
    ASSERT_EQ(nested->arrays.size(), 2u);
    ASSERT_NE(nested->arrays[0].as_array(), nullptr);
    EXPECT_EQ(nested->arrays[0].as_array()->element(1).as_uint(), 2u);
    EXPECT_EQ(nested->arrays[1].as_array()->element(0).as_uint(), 3u);
    // Vocabulary strings keep bytes that are not UTF-8; the tokenizer judges them.
    const ArrayValue* strings = file().get_array("test.string_array");
    ASSERT_NE(strings, nullptr);
    EXPECT_EQ(strings->strings, (std::vector<std::string_view>{"a", "\xff"}));
}

TEST_F(EveryValueType, GetUintAcceptsNonNegativeIntegersOfAnyWidthAndSignedness) {
    EXPECT_EQ(file().get_uint("test.uint8"), 255u);
    EXPECT_EQ(file().get_uint("test.uint64"), std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(file().get_uint("test.bool"), 1u);
    EXPECT_EQ(file().get_uint("test.int8"), std::nullopt);
    EXPECT_EQ(file().get_uint("test.int16"), std::nullopt);
    EXPECT_EQ(file().get_uint("test.int64"), std::nullopt);
    EXPECT_EQ(file().get_uint("test.float32"), std::nullopt);
    EXPECT_EQ(file().get_uint("test.string"), std::nullopt);
    EXPECT_EQ(file().get_uint("test.uint16_array"), std::nullopt);
    EXPECT_EQ(file().get_uint("test.missing"), std::nullopt);
}

TEST_F(EveryValueType, AsIntSignExtendsAndRefusesUnsignedValuesAboveInt64) {
    EXPECT_EQ(file().find("test.int8")->as_int(), -1);
    EXPECT_EQ(file().find("test.int64")->as_int(), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(file().find("test.uint8")->as_int(), 255);
    EXPECT_EQ(file().find("test.uint64")->as_int(), std::nullopt);
    EXPECT_EQ(file().find("test.float64")->as_int(), std::nullopt);
}

TEST_F(EveryValueType, GetFloatConvertsIntegersButNotBoolsOrStrings) {
    EXPECT_EQ(file().get_float("test.int8"), -1.0);
    EXPECT_EQ(file().get_float("test.int16"), -300.0);
    EXPECT_EQ(file().get_float("test.uint32"), 4000000000.0);
    EXPECT_EQ(file().get_float("test.bool"), std::nullopt);
    EXPECT_EQ(file().get_float("test.string"), std::nullopt);
    EXPECT_EQ(file().get_float("test.missing"), std::nullopt);
}

TEST_F(EveryValueType, TypedGettersRefuseOtherTypes) {
    EXPECT_EQ(file().get_string("test.uint8"), std::nullopt);
    EXPECT_EQ(file().get_string("test.string_array"), std::nullopt);
    EXPECT_EQ(file().get_string("test.missing"), std::nullopt);
    EXPECT_EQ(file().get_bool("test.uint8"), std::nullopt);
    EXPECT_EQ(file().get_array("test.string"), nullptr);
    EXPECT_EQ(file().get_array("test.missing"), nullptr);
    EXPECT_EQ(file().find("test.missing"), nullptr);
    EXPECT_EQ(file().architecture(), "");
}

TEST(GgufFile, GetUintReadsAPositiveSignedValue) {
    GgufWriter writer;
    writer.add_int32("test.positive", 7);
    const auto bytes = writer.finish();
    const auto file = GgufFile::parse(bytes, "signed.gguf");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    EXPECT_EQ(file->get_uint("test.positive"), 7u);
    EXPECT_EQ(file->get_float("test.positive"), 7.0);
}

TEST(GgufFile, OpensAFileOnDiskAndReportsAMissingOne) {
    const std::string path = ::testing::TempDir() + "inhouse_gguf_file_test.gguf";
    ASSERT_TRUE(fixtures::make_model_writer().write(path).ok());
    const auto file = GgufFile::open(path);
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    EXPECT_EQ(file->label(), path);
    EXPECT_EQ(file->get_uint("llama.block_count"), 1u);
    std::remove(path.c_str());
    const auto missing = GgufFile::open(path);
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(contains(missing.error().to_string(), path));
}

}  // namespace
}  // namespace inhouse::gguf
