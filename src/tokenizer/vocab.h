// A tokenizer vocabulary read from GGUF metadata (tokenizer.ggml.*), validated at load: array
// types and lengths, special-token ids inside the vocabulary, well-formed byte tokens, merges
// made of existing tokens. Token texts are views into the model file's mapping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "gguf/gguf_file.h"

namespace inhouse::tokenizer {

using TokenId = std::int32_t;
inline constexpr TokenId kNoToken = -1;

// tokenizer.ggml.token_type values.
enum class TokenKind : std::uint8_t {
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
};

enum class VocabKind : std::uint8_t {
    Bpe,  // "gpt2": byte-level BPE with merges
    Spm,  // "llama": SentencePiece pieces with scores and byte fallback
};

struct SpecialTokens {
    TokenId bos = kNoToken;
    TokenId eos = kNoToken;
    TokenId eot = kNoToken;
    TokenId unk = kNoToken;
    TokenId pad = kNoToken;
    TokenId sep = kNoToken;
    bool add_bos = false;
    bool add_eos = false;
    // Tokens that end a generation: eos, eot and the end-of-turn control tokens of known
    // chat formats found in the vocabulary.
    std::vector<TokenId> end_of_generation;
};

struct TokenData {
    std::string_view text;
    float score = 0;
    TokenKind kind = TokenKind::Normal;  // as the file says
    // Control tokens, including ones the file typed otherwise but whose text marks them as
    // chat or fill-in-the-middle markers (as llama.cpp overrides them).
    bool is_control = false;
    // Strip whitespace around a matched special token (llama.cpp's lstrip/rstrip attributes).
    bool lstrip = false;
    bool rstrip = false;

    // Matched in text only with parse_special, and rendered only with render_special.
    bool is_hidden() const { return is_control || kind == TokenKind::Unknown; }
    // Matched in raw text before pre-tokenization (hidden ones only with parse_special).
    bool is_special() const { return is_hidden() || kind == TokenKind::UserDefined; }
};

class Vocab {
public:
    static Result<Vocab> load(const gguf::GgufFile& file);

    VocabKind kind() const { return kind_; }
    std::string_view pre_tokenizer() const { return pre_tokenizer_; }
    std::size_t size() const { return tokens_.size(); }
    const TokenData& token(TokenId id) const { return tokens_[static_cast<std::size_t>(id)]; }
    bool contains(TokenId id) const { return id >= 0 && static_cast<std::size_t>(id) < size(); }
    TokenId find(std::string_view text) const;
    // Rank of merging `left` and `right` (BPE), or -1.
    int merge_rank(TokenId left, TokenId right) const;
    // The <0xNN> token of a byte (SPM), or the single-byte token, or kNoToken.
    TokenId byte_token(std::uint8_t byte) const { return byte_tokens_[byte]; }

    const SpecialTokens& special() const { return special_; }
    bool add_space_prefix() const { return add_space_prefix_; }
    bool ignore_merges() const { return ignore_merges_; }
    // Control, user-defined and unknown tokens, longest text first: matched in raw text
    // before pre-tokenization.
    const std::vector<TokenId>& special_token_order() const { return special_token_order_; }

private:
    Status load_tokens(const gguf::GgufFile& file);
    Status load_merges(const gguf::GgufFile& file);
    Status load_special(const gguf::GgufFile& file);
    void mark_control_tokens();
    Status index_byte_tokens();
    void order_special_tokens();

    VocabKind kind_ = VocabKind::Bpe;
    std::string pre_tokenizer_;
    std::string label_;
    std::vector<TokenData> tokens_;
    std::unordered_map<std::string_view, TokenId> ids_by_text_;
    std::unordered_map<std::uint64_t, int> merge_ranks_;  // (left << 32 | right) → rank
    TokenId byte_tokens_[256];
    SpecialTokens special_;
    bool add_space_prefix_ = false;
    bool ignore_merges_ = false;
    std::vector<TokenId> special_token_order_;
};

}  // namespace inhouse::tokenizer
