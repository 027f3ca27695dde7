// Small valid GGUF files built in code, and byte locators for corrupting them: the base of the
// malformed corpus, the positive parser tests and the fuzzer's seeds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gguf/gguf_writer.h"
#include "gguf/tensor_type.h"

namespace inhouse::gguf::fixtures {

using Bytes = std::vector<std::uint8_t>;

struct TensorSpec {
    std::string_view name;
    TensorType type;
    std::vector<std::uint64_t> ne;  // innermost first, as GGUF stores it
};

// The standard model's tensors, in file order: token_embd.weight Q8_0 [5, 64],
// output_norm.weight F32 [64], blk.0.attn_k.weight Q8_0 [4, 64] (shapes outermost first).
std::vector<TensorSpec> model_tensor_specs();

// Deterministic tensor bytes: byte i is (i * 7 + seed) mod 256.
Bytes tensor_pattern(std::size_t n_bytes, std::uint8_t seed);

// The standard model's metadata, in this order: general.architecture "llama", general.name,
// llama.{context_length, embedding_length, block_count, attention.head_count,
// feed_forward_length} (uint32), llama.attention.layer_norm_rms_epsilon (float32),
// tokenizer.ggml.add_bos_token (bool), tokenizer.ggml.tokens (5 strings),
// tokenizer.ggml.token_type (5 int32), tokenizer.ggml.scores (5 float32).
// `skip_key` names one key to leave out.
GgufWriter make_model_writer(std::string_view skip_key = {});
// Adds model_tensor_specs() with tensor_pattern() data, seeded by tensor index.
void add_model_tensors(GgufWriter& writer);

// The standard model: metadata plus tensors, alignment 32 (the default).
Bytes make_valid_model();
// The standard model with general.alignment = 64.
Bytes make_model_aligned_64();
// The standard metadata without any tensor, like a vocabulary-only file.
Bytes make_vocab_only();
// No tensors; one key of every value type (see valid_files.cpp for the values).
Bytes make_every_value_type();
// No tensors; key "test.nested" holds `n_levels` arrays nested in each other, the innermost
// holding one uint8 7.
Bytes make_nested_arrays(int n_levels);

struct NamedFile {
    std::string name;
    Bytes bytes;
};
// Every valid file above, named for the seed corpus.
std::vector<NamedFile> valid_files();

// Byte positions of one metadata entry.
struct KeyLayout {
    std::size_t key = 0;         // the key's u64 length
    std::size_t value_type = 0;  // u32 value type
    std::size_t value = 0;       // first byte of the value
};
// Byte positions of one tensor info entry.
struct TensorLayout {
    std::size_t name = 0;    // the name's u64 length
    std::size_t n_dims = 0;  // u32
    std::size_t ne = 0;      // u64 × n_dims
    std::size_t type = 0;    // u32
    std::size_t offset = 0;  // u64 data offset
};
// Locate a key or tensor by its length-prefixed name; aborts when absent (a fixture bug).
KeyLayout locate_key(const Bytes& bytes, std::string_view key);
TensorLayout locate_tensor(const Bytes& bytes, std::string_view name);

void patch_u8(Bytes& bytes, std::size_t offset, std::uint8_t value);
void patch_u32(Bytes& bytes, std::size_t offset, std::uint32_t value);
void patch_u64(Bytes& bytes, std::size_t offset, std::uint64_t value);
std::uint32_t read_u32(const Bytes& bytes, std::size_t offset);
std::uint64_t read_u64(const Bytes& bytes, std::size_t offset);
// The first `n_bytes` bytes.
Bytes truncated(const Bytes& bytes, std::size_t n_bytes);

}  // namespace inhouse::gguf::fixtures
