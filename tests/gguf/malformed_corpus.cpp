#include "gguf/malformed_corpus.h"

#include <limits>

#include <fmt/format.h>

#include "core/check.h"
#include "gguf/byte_builder.h"
#include "gguf/valid_files.h"

namespace inhouse::gguf::fixtures {

namespace {

constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();
// Offsets of the fixed header fields.
constexpr std::size_t kVersionOffset = 4;
constexpr std::size_t kTensorCountOffset = 8;
constexpr std::size_t kMetadataCountOffset = 16;
constexpr std::size_t kHeaderBytes = 24;

using Corpus = std::vector<MalformedCase>;

void add(Corpus& corpus, std::string name, Bytes bytes, std::string expected_error) {
    corpus.push_back(MalformedCase{.name = std::move(name),
                                   .bytes = std::move(bytes),
                                   .expected_error = std::move(expected_error)});
}

Bytes with_u32(Bytes bytes, std::size_t offset, std::uint32_t value) {
    patch_u32(bytes, offset, value);
    return bytes;
}

Bytes with_u64(Bytes bytes, std::size_t offset, std::uint64_t value) {
    patch_u64(bytes, offset, value);
    return bytes;
}

Bytes with_u8(Bytes bytes, std::size_t offset, std::uint8_t value) {
    patch_u8(bytes, offset, value);
    return bytes;
}

// The standard metadata (no tensors) declaring only keys 0..key_index, cut at `n_bytes`:
// the counts then pass their bounds, so the cut itself is what the parser reports.
Bytes metadata_cut(std::size_t key_index, std::size_t n_bytes) {
    return truncated(with_u64(make_vocab_only(), kMetadataCountOffset, key_index + 1), n_bytes);
}

// The standard model with tensors and one extra metadata entry added last.
template <typename AddKey>
Bytes model_with(std::string_view skip_key, AddKey add_key) {
    auto writer = make_model_writer(skip_key);
    add_key(writer);
    add_model_tensors(writer);
    return writer.finish();
}

// The standard model with a fourth tensor, F32 [8], named `name`.
Bytes model_with_tensor(const std::string& name) {
    auto writer = make_model_writer();
    add_model_tensors(writer);
    const auto status = writer.add_tensor(name, TensorType::F32, {8}, tensor_pattern(32, 9));
    INHOUSE_CHECK(status.ok(), "fixture tensor '{}'", name);
    return writer.finish();
}

void add_header_cases(Corpus& corpus) {
    const Bytes model = make_valid_model();
    add(corpus, "empty_file", {}, "magic: needs 4 bytes, 0 remain (truncated file)");
    add(corpus, "truncated_in_magic", truncated(model, 2),
        "magic: needs 4 bytes, 2 remain (truncated file)");
    add(corpus, "truncated_in_version", truncated(model, 6),
        "version: needs 4 bytes, 2 remain (truncated file)");
    add(corpus, "truncated_in_tensor_count", truncated(model, 12),
        "tensor count: needs 8 bytes, 4 remain (truncated file)");
    add(corpus, "truncated_in_metadata_count", truncated(make_vocab_only(), 20),
        "metadata count: needs 8 bytes, 4 remain (truncated file)");
    add(corpus, "truncated_after_counts", truncated(model, kHeaderBytes),
        "tensor count: 3 cannot fit in the 8 bytes left in the file");
    add(corpus, "bad_magic", with_u32(model, 0, 0x4c4d4747),  // "GGML"
        "magic: expected 'GGUF' (0x46554747), got 0x4c4d4747: not a GGUF file");
    add(corpus, "version_0", with_u32(model, kVersionOffset, 0),
        "version: unsupported version 0 (supported: 2 and 3)");
    add(corpus, "version_1", with_u32(model, kVersionOffset, 1),
        "version: unsupported version 1 (supported: 2 and 3)");
    add(corpus, "version_4", with_u32(model, kVersionOffset, 4),
        "version: unsupported version 4 (supported: 2 and 3)");
    Bytes big_endian = with_u32(model, kVersionOffset, __builtin_bswap32(3));
    patch_u64(big_endian, kTensorCountOffset, __builtin_bswap64(3));
    patch_u64(big_endian, kMetadataCountOffset, __builtin_bswap64(12));
    add(corpus, "big_endian", big_endian,
        "big-endian GGUF (version 3 byte-swapped) is not supported");
    add(corpus, "huge_tensor_count", with_u64(model, kTensorCountOffset, kU64Max),
        fmt::format("tensor count: {} cannot fit in the", kU64Max));
    add(corpus, "huge_metadata_count", with_u64(model, kMetadataCountOffset, kU64Max),
        fmt::format("metadata count: {} cannot fit in the", kU64Max));
}

// Key indices in the standard metadata (see make_model_writer).
constexpr std::size_t kNameIndex = 1;
constexpr std::size_t kTokensIndex = 9;
constexpr std::size_t kTokenTypeIndex = 10;

void add_metadata_truncations(Corpus& corpus) {
    const Bytes vocab = make_vocab_only();
    const auto name = locate_key(vocab, "general.name");
    const auto tokens = locate_key(vocab, "tokenizer.ggml.tokens");
    const auto token_type = locate_key(vocab, "tokenizer.ggml.token_type");
    const auto block_count = locate_key(vocab, "llama.block_count");
    add(corpus, "truncated_in_key_length", metadata_cut(kTokensIndex, tokens.key + 3),
        "metadata key #9: needs 8 bytes, 3 remain (truncated file)");
    add(corpus, "truncated_in_key", metadata_cut(kTokensIndex, tokens.key + 8 + 5),
        "metadata key #9: string length 21 exceeds the 5 bytes left in the file");
    add(corpus, "truncated_in_value_type", metadata_cut(kTokensIndex, tokens.value_type + 2),
        "value of 'tokenizer.ggml.tokens': needs 4 bytes, 2 remain (truncated file)");
    add(corpus, "truncated_in_scalar_value", metadata_cut(4, block_count.value + 2),
        "value of 'llama.block_count': needs 4 bytes, 2 remain (truncated file)");
    add(corpus, "truncated_in_string_value", metadata_cut(kNameIndex, name.value + 8 + 3),
        "value of 'general.name': string length 12 exceeds the 3 bytes left in the file");
    add(corpus, "truncated_in_array_count", metadata_cut(kTokensIndex, tokens.value + 4 + 3),
        "value of 'tokenizer.ggml.tokens': needs 8 bytes, 3 remain (truncated file)");
    // 46 bytes into "<unk>" "<s>" "</s>" "hello" "world": inside the length-prefixed "hello".
    add(corpus, "truncated_in_string_array", metadata_cut(kTokensIndex, tokens.value + 12 + 46),
        "value of 'tokenizer.ggml.tokens': string length 5 exceeds the 2 bytes left in the file");
    add(corpus, "truncated_in_numeric_array",
        metadata_cut(kTokenTypeIndex, token_type.value + 12 + 10),
        "value of 'tokenizer.ggml.token_type': array of 5 int32 elements cannot fit in the 10 "
        "bytes left in the file");
}

void add_metadata_value_cases(Corpus& corpus) {
    const Bytes model = make_valid_model();
    const auto name = locate_key(model, "general.name");
    const auto tokens = locate_key(model, "tokenizer.ggml.tokens");
    const auto token_type = locate_key(model, "tokenizer.ggml.token_type");
    const auto scores = locate_key(model, "tokenizer.ggml.scores");
    add(corpus, "huge_key_length", with_u64(model, name.key, 1'000'000'000'000),
        "metadata key #1: string length 1000000000000 exceeds the");
    add(corpus, "huge_string_length", with_u64(model, name.value, 1'000'000'000'000),
        "value of 'general.name': string length 1000000000000 exceeds the");
    add(corpus, "huge_string_array_count", with_u64(model, tokens.value + 4, 1ull << 62),
        "value of 'tokenizer.ggml.tokens': array of 4611686018427387904 string elements cannot "
        "fit");
    add(corpus, "huge_numeric_array_count", with_u64(model, scores.value + 4, kU64Max),
        fmt::format("value of 'tokenizer.ggml.scores': array of {} float32 elements cannot fit",
                    kU64Max));
    add(corpus, "unknown_value_type",
        with_u32(model, locate_key(model, "llama.block_count").value_type, 13),
        "value of 'llama.block_count': unknown value type 13");
    add(corpus, "unknown_array_element_type", with_u32(model, token_type.value, 99),
        "value of 'tokenizer.ggml.token_type': unknown value type 99");
    add(corpus, "nested_arrays_too_deep", make_nested_arrays(5),
        "value of 'test.nested': arrays nested deeper than 4");
    add(corpus, "invalid_bool",
        with_u8(model, locate_key(model, "tokenizer.ggml.add_bos_token").value, 2),
        "value of 'tokenizer.ggml.add_bos_token': bool must be 0 or 1, got 2");
    ByteBuilder bool_array;
    bool_array.header(0, 1).key("test.flags", ValueType::Array).array(ValueType::Bool, 2);
    bool_array.u8(1).u8(5);
    add(corpus, "invalid_bool_in_array", bool_array.bytes(),
        "value of 'test.flags': bool array element must be 0 or 1");
    add(corpus, "duplicate_key",
        model_with({}, [](GgufWriter& w) { w.add_string("general.name", "again"); }),
        "metadata key #12: duplicate key 'general.name'");
    add(corpus, "empty_key", model_with({}, [](GgufWriter& w) { w.add_uint32("", 1); }),
        "metadata key #12: empty key");
    add(corpus, "invalid_utf8_key", with_u8(model, name.key + 8 + 3, 0xff),
        "metadata key #1: key is not valid UTF-8 (byte 3)");
    add(corpus, "invalid_utf8_string_value", with_u8(model, name.value + 8 + 2, 0xc0),
        "value of 'general.name': string is not valid UTF-8 (byte 2)");
    add(corpus, "overlong_utf8_string_value",
        model_with({}, [](GgufWriter& w) { w.add_string("general.description", "ok\xc0\xaf"); }),
        "value of 'general.description': string is not valid UTF-8 (byte 2)");
    add(corpus, "surrogate_utf8_string_value",
        model_with({}, [](GgufWriter& w) { w.add_string("general.description", "\xed\xa0\x80"); }),
        "value of 'general.description': string is not valid UTF-8 (byte 0)");
}

void add_tensor_info_cases(Corpus& corpus) {
    const Bytes model = make_valid_model();
    const auto embd = locate_tensor(model, "token_embd.weight");
    const auto norm = locate_tensor(model, "output_norm.weight");
    const auto attn = locate_tensor(model, "blk.0.attn_k.weight");
    add(corpus, "truncated_in_tensor_name", truncated(model, attn.name + 8 + 4),
        "tensor #2 name: string length 19 exceeds the 4 bytes left in the file");
    add(corpus, "truncated_in_tensor_shape", truncated(model, attn.ne + 3),
        "tensor 'blk.0.attn_k.weight' shape: needs 8 bytes, 3 remain (truncated file)");
    add(corpus, "truncated_in_tensor_type", truncated(model, attn.type + 1),
        "tensor 'blk.0.attn_k.weight' type: needs 4 bytes, 1 remain (truncated file)");
    add(corpus, "truncated_in_tensor_offset", truncated(model, attn.offset + 5),
        "tensor 'blk.0.attn_k.weight' offset: needs 8 bytes, 5 remain (truncated file)");
    add(corpus, "tensor_n_dims_0", with_u32(model, norm.n_dims, 0),
        "tensor 'output_norm.weight': n_dims 0 outside 1..4");
    add(corpus, "tensor_n_dims_5", with_u32(model, norm.n_dims, 5),
        "tensor 'output_norm.weight': n_dims 5 outside 1..4");
    add(corpus, "tensor_dimension_zero", with_u64(model, embd.ne + 8, 0),
        "tensor 'token_embd.weight' shape: dimension 1 is zero");
    add(corpus, "tensor_element_count_overflow", with_u64(model, embd.ne + 8, 1ull << 62),
        "tensor 'token_embd.weight' shape: element count overflows 63 bits");
    add(corpus, "tensor_byte_size_overflow", with_u64(model, norm.ne, 1ull << 62),
        "tensor 'output_norm.weight' shape: byte size overflows 64 bits");
    add(corpus, "tensor_row_not_whole_blocks", with_u64(model, embd.ne, 48),
        "tensor 'token_embd.weight' shape: row of 48 elements is not a whole number of Q8_0 "
        "blocks of 32");
    add(corpus, "unknown_tensor_type", with_u32(model, attn.type, 99),
        "tensor 'blk.0.attn_k.weight': unknown tensor type 99");
    add(corpus, "retired_tensor_type", with_u32(model, attn.type, 4),
        "tensor 'blk.0.attn_k.weight': tensor type 4 (Q4_2) was retired from GGUF");
    add(corpus, "duplicate_tensor_name", model_with_tensor("output_norm.weight"),
        "tensor 'output_norm.weight': duplicate tensor name");
    add(corpus, "tensor_name_too_long", model_with_tensor(std::string(64, 'x')),
        "tensor #3: name is 64 bytes, longer than 63");
    add(corpus, "empty_tensor_name", model_with_tensor(""), "tensor #3: empty name");
    add(corpus, "invalid_utf8_tensor_name", with_u8(model, norm.name + 8, 0x80),
        "tensor #1: name is not valid UTF-8 (byte 0)");
}

void add_data_layout_cases(Corpus& corpus) {
    const Bytes model = make_valid_model();
    const auto embd = locate_tensor(model, "token_embd.weight");
    const auto norm = locate_tensor(model, "output_norm.weight");
    const auto attn = locate_tensor(model, "blk.0.attn_k.weight");
    const std::size_t end_of_infos = attn.offset + 8;
    const std::size_t data_start = (end_of_infos + 31) / 32 * 32;
    const std::uint64_t attn_offset = read_u64(model, attn.offset);
    const auto past_end = [&](std::uint64_t relative, std::uint64_t data_size, std::uint64_t n_remain) {
        return fmt::format(
            "tensor 'blk.0.attn_k.weight' (entry at offset {:#x}): data at offset {:#x} of the "
            "data section (which starts at {:#x} and holds {} bytes) runs past end of file "
            "(needs 272 bytes, {} remain)",
            attn.name, relative, data_start, data_size, n_remain);
    };
    add(corpus, "tensor_data_offset_past_end", with_u64(model, attn.offset, 0x100000),
        past_end(0x100000, model.size() - data_start, 0));
    add(corpus, "tensor_data_runs_past_end", truncated(model, data_start + attn_offset + 100),
        past_end(attn_offset, attn_offset + 100, 100));
    add(corpus, "truncated_in_data_section", truncated(model, data_start + 100),
        fmt::format("tensor 'token_embd.weight' (entry at offset {:#x}): data at offset 0x0 of "
                    "the data section (which starts at {:#x} and holds 100 bytes) runs past end "
                    "of file (needs 340 bytes, 100 remain)",
                    embd.name, data_start));
    add(corpus, "truncated_before_data_section", truncated(model, end_of_infos),
        data_start > end_of_infos ? "data section: padding to alignment 32 runs past end of file"
                                  : "tensor 'token_embd.weight' (entry at offset");
    add(corpus, "misaligned_tensor_data",
        with_u64(model, norm.offset, read_u64(model, norm.offset) + 4),
        fmt::format("tensor 'output_norm.weight' (entry at offset {:#x}): data offset {:#x} is "
                    "not a multiple of the alignment 32",
                    norm.name, read_u64(model, norm.offset) + 4));
    // token_embd.weight holds bytes [0, 340); 320 is aligned but inside it.
    add(corpus, "overlapping_tensors", with_u64(model, attn.offset, 320),
        fmt::format("tensor 'blk.0.attn_k.weight' (entry at offset {:#x}): data at offset {:#x} "
                    "overlaps tensor 'token_embd.weight' ({:#x}..{:#x})",
                    attn.name, data_start + 320, data_start, data_start + 340));
}

void add_required_key_cases(Corpus& corpus) {
    const auto alignment = [](auto add_key) {
        return model_with({}, [&](GgufWriter& w) { add_key(w); });
    };
    constexpr std::string_view kAlignmentError = "general.alignment: must be a uint32 power of two";
    add(corpus, "alignment_not_power_of_two", alignment([](GgufWriter& w) { w.set_alignment(48); }),
        std::string(kAlignmentError) + ", got uint32 48");
    add(corpus, "alignment_zero",
        alignment([](GgufWriter& w) { w.add_uint32("general.alignment", 0); }),
        std::string(kAlignmentError) + ", got uint32 0");
    add(corpus, "alignment_wrong_type",
        alignment([](GgufWriter& w) { w.add_uint64("general.alignment", 32); }),
        std::string(kAlignmentError) + ", got uint64 32");
    add(corpus, "missing_architecture", model_with("general.architecture", [](GgufWriter&) {}),
        "required key 'general.architecture' is missing");
    add(corpus, "architecture_not_a_string",
        model_with("general.architecture",
                   [](GgufWriter& w) { w.add_uint32("general.architecture", 1); }),
        "key 'general.architecture' must be a string, got uint32");
    add(corpus, "missing_required_llama_key",
        model_with("llama.feed_forward_length", [](GgufWriter&) {}),
        "required key 'llama.feed_forward_length' for architecture 'llama' is missing");
    add(corpus, "required_key_is_float",
        model_with("llama.block_count",
                   [](GgufWriter& w) { w.add_float32("llama.block_count", 1.0f); }),
        "key 'llama.block_count' must be a non-negative integer, got float32");
    add(corpus, "required_key_is_negative",
        model_with("llama.block_count",
                   [](GgufWriter& w) { w.add_int32("llama.block_count", -1); }),
        "key 'llama.block_count' must be a non-negative integer, got int32");
    add(corpus, "required_key_is_string",
        model_with("llama.embedding_length",
                   [](GgufWriter& w) { w.add_string("llama.embedding_length", "64"); }),
        "key 'llama.embedding_length' must be a non-negative integer, got string");
}

}  // namespace

std::vector<MalformedCase> malformed_corpus() {
    Corpus corpus;
    add_header_cases(corpus);
    add_metadata_truncations(corpus);
    add_metadata_value_cases(corpus);
    add_tensor_info_cases(corpus);
    add_data_layout_cases(corpus);
    add_required_key_cases(corpus);
    return corpus;
}

}  // namespace inhouse::gguf::fixtures
