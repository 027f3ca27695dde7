// Text ↔ token ids for a model, from its GGUF vocabulary: byte-level BPE or SentencePiece,
// with special tokens matched in text only where the caller allows it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "gguf/gguf_file.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/vocab.h"

namespace inhouse::tokenizer {

struct EncodeOptions {
    // Add BOS/EOS as the vocabulary asks (tokenizer.ggml.add_bos_token, add_eos_token).
    bool add_special = true;
    // Match control tokens written in the text ("<|im_start|>"): on for rendered chat
    // templates, off for user content so it cannot inject them.
    bool parse_special = false;
    // Byte ranges [begin, end) of the text where no special token may be matched, even with
    // parse_special: the message contents inside a rendered chat template. Sorted, disjoint.
    std::span<const std::pair<std::size_t, std::size_t>> literal_ranges = {};
};

struct DecodeOptions {
    // Drop a leading BOS and trailing EOS that encoding added.
    bool remove_special = false;
    // Render control tokens as their text instead of nothing.
    bool render_special = false;
};

class Tokenizer {
public:
    // The vocabulary refers into `file`'s mapping: `file` must outlive the tokenizer.
    static Result<Tokenizer> load(const gguf::GgufFile& file);

    std::vector<TokenId> encode(std::string_view text, const EncodeOptions& options = {}) const;
    std::string decode(std::span<const TokenId> ids, const DecodeOptions& options = {}) const;
    // The bytes one token stands for (may be part of a UTF-8 character); `strip_leading_space`
    // drops one leading space (the SentencePiece space prefix).
    std::string token_to_piece(TokenId id, bool render_special, bool strip_leading_space = false) const;

    const Vocab& vocab() const { return vocab_; }

private:
    Tokenizer(Vocab vocab, std::optional<PreTokenizer> pre)
        : vocab_(std::move(vocab)), pre_(std::move(pre)) {}

    struct Fragment {
        std::string_view text;    // raw text, when token == kNoToken
        TokenId token = kNoToken;
    };
    std::vector<Fragment> split_special(std::string_view text, const EncodeOptions& options) const;
    void encode_text(std::string_view text, bool after_special, std::vector<TokenId>& output) const;

    Vocab vocab_;
    std::optional<PreTokenizer> pre_;  // BPE only
};

}  // namespace inhouse::tokenizer
