#include "gguf/valid_files.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/check.h"
#include "gguf/byte_builder.h"

namespace inhouse::gguf::fixtures {

std::vector<TensorSpec> model_tensor_specs() {
    return {
        {"token_embd.weight", TensorType::Q8_0, {64, 5}},
        {"output_norm.weight", TensorType::F32, {64}},
        {"blk.0.attn_k.weight", TensorType::Q8_0, {64, 4}},
    };
}

Bytes tensor_pattern(std::size_t n_bytes, std::uint8_t seed) {
    Bytes bytes(n_bytes);
    for (std::size_t i = 0; i < n_bytes; ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + seed);
    return bytes;
}

GgufWriter make_model_writer(std::string_view skip_key) {
    GgufWriter writer;
    const auto keep = [&](std::string_view key) { return key != skip_key; };
    if (keep("general.architecture")) writer.add_string("general.architecture", "llama");
    if (keep("general.name")) writer.add_string("general.name", "corpus model");
    if (keep("llama.context_length")) writer.add_uint32("llama.context_length", 128);
    if (keep("llama.embedding_length")) writer.add_uint32("llama.embedding_length", 64);
    if (keep("llama.block_count")) writer.add_uint32("llama.block_count", 1);
    if (keep("llama.attention.head_count")) writer.add_uint32("llama.attention.head_count", 4);
    if (keep("llama.feed_forward_length")) writer.add_uint32("llama.feed_forward_length", 128);
    if (keep("llama.attention.layer_norm_rms_epsilon")) {
        writer.add_float32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    }
    if (keep("tokenizer.ggml.add_bos_token")) writer.add_bool("tokenizer.ggml.add_bos_token", true);
    if (keep("tokenizer.ggml.tokens")) {
        writer.add_string_array("tokenizer.ggml.tokens",
                                {"<unk>", "<s>", "</s>", "hello", "world"});
    }
    if (keep("tokenizer.ggml.token_type")) {
        writer.add_int32_array("tokenizer.ggml.token_type", {2, 3, 3, 1, 1});
    }
    if (keep("tokenizer.ggml.scores")) {
        writer.add_float32_array("tokenizer.ggml.scores", {0.0f, 0.0f, 0.0f, -1.5f, -2.5f});
    }
    return writer;
}

void add_model_tensors(GgufWriter& writer) {
    std::uint8_t seed = 0;
    for (const auto& spec : model_tensor_specs()) {
        const auto& info = tensor_type_info(spec.type);
        std::uint64_t n_elements = 1;
        for (const auto dim : spec.ne) n_elements *= dim;
        const auto data =
            tensor_pattern(n_elements / info.block_size * info.block_size_bytes, seed++);
        const auto status = writer.add_tensor(spec.name, spec.type, spec.ne, data);
        INHOUSE_CHECK(status.ok(), "{}", status.ok() ? "" : status.error().to_string());
    }
}

Bytes make_valid_model() {
    auto writer = make_model_writer();
    add_model_tensors(writer);
    return writer.finish();
}

Bytes make_model_aligned_64() {
    auto writer = make_model_writer();
    writer.set_alignment(64);
    add_model_tensors(writer);
    return writer.finish();
}

Bytes make_vocab_only() { return make_model_writer().finish(); }

Bytes make_every_value_type() {
    ByteBuilder b;
    b.header(/*n_tensors=*/0, /*n_kv=*/18);
    b.key("test.uint8", ValueType::Uint8).u8(255);
    b.key("test.int8", ValueType::Int8).put<std::int8_t>(-1);
    b.key("test.uint16", ValueType::Uint16).put<std::uint16_t>(65535);
    b.key("test.int16", ValueType::Int16).put<std::int16_t>(-300);
    b.key("test.uint32", ValueType::Uint32).u32(4000000000u);
    b.key("test.int32", ValueType::Int32).put<std::int32_t>(-2000000000);
    b.key("test.float32", ValueType::Float32).put<float>(0.5f);
    b.key("test.bool", ValueType::Bool).u8(1);
    b.key("test.string", ValueType::String).str("h\xc3\xa9llo");
    b.key("test.uint64", ValueType::Uint64).u64(std::numeric_limits<std::uint64_t>::max());
    b.key("test.int64", ValueType::Int64).put(std::numeric_limits<std::int64_t>::min());
    b.key("test.float64", ValueType::Float64).put<double>(-2.25);
    b.key("test.empty_string", ValueType::String).str("");
    b.key("test.bool_array", ValueType::Array).array(ValueType::Bool, 3).u8(1).u8(0).u8(1);
    b.key("test.uint16_array", ValueType::Array).array(ValueType::Uint16, 3);
    b.put<std::uint16_t>(1).put<std::uint16_t>(2).put<std::uint16_t>(3);
    b.key("test.empty_array", ValueType::Array).array(ValueType::Uint32, 0);
    // [[1, 2], [3]]: an array of two uint8 arrays.
    b.key("test.nested", ValueType::Array).array(ValueType::Array, 2);
    b.array(ValueType::Uint8, 2).u8(1).u8(2).array(ValueType::Uint8, 1).u8(3);
    // A string array with a byte sequence that is not UTF-8: vocabularies may hold those.
    b.key("test.string_array", ValueType::Array).array(ValueType::String, 2).str("a").str("\xff");
    return b.bytes();
}

Bytes make_nested_arrays(int n_levels) {
    ByteBuilder b;
    b.header(0, 1).key("test.nested", ValueType::Array);
    for (int level = 0; level + 1 < n_levels; ++level) b.array(ValueType::Array, 1);
    b.array(ValueType::Uint8, 1).u8(7);
    return b.bytes();
}

std::vector<NamedFile> valid_files() {
    return {
        {"valid_model", make_valid_model()},
        {"valid_model_aligned_64", make_model_aligned_64()},
        {"valid_vocab_only", make_vocab_only()},
        {"valid_every_value_type", make_every_value_type()},
        {"valid_nested_arrays", make_nested_arrays(4)},
    };
}

namespace {

// Offset of the u64 length that precedes the first occurrence of `text`.
std::size_t find_length_prefixed(const Bytes& bytes, std::string_view text) {
    ByteBuilder builder;
    const Bytes& needle = builder.str(text).bytes();
    const auto it = std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end());
    INHOUSE_CHECK(it != bytes.end(), "'{}' is not in the fixture", text);
    return static_cast<std::size_t>(it - bytes.begin());
}

}  // namespace

KeyLayout locate_key(const Bytes& bytes, std::string_view key) {
    KeyLayout layout;
    layout.key = find_length_prefixed(bytes, key);
    layout.value_type = layout.key + 8 + key.size();
    layout.value = layout.value_type + 4;
    return layout;
}

TensorLayout locate_tensor(const Bytes& bytes, std::string_view name) {
    TensorLayout layout;
    layout.name = find_length_prefixed(bytes, name);
    layout.n_dims = layout.name + 8 + name.size();
    layout.ne = layout.n_dims + 4;
    layout.type = layout.ne + 8 * read_u32(bytes, layout.n_dims);
    layout.offset = layout.type + 4;
    return layout;
}

void patch_u8(Bytes& bytes, std::size_t offset, std::uint8_t value) {
    INHOUSE_CHECK(offset < bytes.size(), "patch at {} past {}", offset, bytes.size());
    bytes[offset] = value;
}

void patch_u32(Bytes& bytes, std::size_t offset, std::uint32_t value) {
    INHOUSE_CHECK(offset + 4 <= bytes.size(), "patch at {} past {}", offset, bytes.size());
    std::memcpy(bytes.data() + offset, &value, 4);
}

void patch_u64(Bytes& bytes, std::size_t offset, std::uint64_t value) {
    INHOUSE_CHECK(offset + 8 <= bytes.size(), "patch at {} past {}", offset, bytes.size());
    std::memcpy(bytes.data() + offset, &value, 8);
}

std::uint32_t read_u32(const Bytes& bytes, std::size_t offset) {
    INHOUSE_CHECK(offset + 4 <= bytes.size(), "read at {} past {}", offset, bytes.size());
    std::uint32_t value = 0;
    std::memcpy(&value, bytes.data() + offset, 4);
    return value;
}

std::uint64_t read_u64(const Bytes& bytes, std::size_t offset) {
    INHOUSE_CHECK(offset + 8 <= bytes.size(), "read at {} past {}", offset, bytes.size());
    std::uint64_t value = 0;
    std::memcpy(&value, bytes.data() + offset, 8);
    return value;
}

Bytes truncated(const Bytes& bytes, std::size_t n_bytes) {
    INHOUSE_CHECK(n_bytes <= bytes.size(), "cut at {} past {}", n_bytes, bytes.size());
    return Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n_bytes));
}

}  // namespace inhouse::gguf::fixtures
