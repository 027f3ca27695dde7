#include "tokenizer/vocab.h"

#include <algorithm>
#include <array>
#include <numeric>

namespace inhouse::tokenizer {

namespace {

constexpr std::uint64_t kMaxVocabSize = 1u << 30;

// Token texts that mark the end of a turn or of a generation in the chat formats we know, and
// fill-in-the-middle markers. A vocabulary holding one is treated as llama.cpp treats it: the
// token becomes a control token, and the end-of-generation ones stop generation.
constexpr std::string_view kEndOfGenerationTexts[] = {
    "<|eot_id|>",       "<|im_end|>",      "<|end|>",       "<|return|>",   "<|call|>",
    "<|flush|>",        "<|calls|>",       "<end_of_turn>", "<|endoftext|>", "</s>",
    "<|eom_id|>",       "<EOT>",           "_<EOT>",        "[EOT]",         "[EOS]",
    "<|end_of_text|>",  "<end_of_utterance>", "<eos>",      "<turn|>",       "<|tool_response>",
    "<｜end▁of▁sentence｜>", "[e~[",
    // fill-in-the-middle pad, repository and file separators also end a generation
    "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]", "<|fim_repo|>", "<|repo_name|>",
    "<fim-repo>", "<REPO>", "<reponame>",
};
constexpr std::string_view kOtherControlTexts[] = {
    "<|file_sep|>", "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>",
    "▁<PRE>", "<|code_prefix|>", "<|prefix|>", "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
    "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>", "<|fim_middle|>",
    "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>",
    "<|middle|>", "<|eom_id|>", "<|file_sep|>",
};
// The end-of-turn token when the file names none, in order of preference.
constexpr std::string_view kEndOfTurnTexts[] = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
    "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
};

// Pre-tokenizers whose vocabularies skip merging for whole words already in the vocabulary.
constexpr std::string_view kIgnoreMergesPre[] = {"llama3", "llama-v3", "llama-bpe", "falcon3"};

Error vocab_error(const std::string& label, std::string_view key, std::string_view message) {
    return make_error(ErrorCode::InvalidFormat, "{}: {}: {}", label, key, message);
}

Result<const gguf::ArrayValue*> get_typed_array(const gguf::GgufFile& file, std::string_view key,
                                               gguf::ValueType element_type, bool required) {
    const gguf::Value* value = file.find(key);
    if (value == nullptr) {
        if (required) return vocab_error(file.label(), key, "required key is missing");
        return static_cast<const gguf::ArrayValue*>(nullptr);
    }
    const auto* array = value->as_array();
    if (array == nullptr || array->element_type != element_type) {
        return vocab_error(file.label(), key,
                           fmt::format("expected an array of {}, got {}",
                                       gguf::value_type_name(element_type),
                                       array ? fmt::format("an array of {}",
                                                           gguf::value_type_name(array->element_type))
                                             : std::string(gguf::value_type_name(value->type()))));
    }
    return array;
}

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// "<0xNN>" → NN
std::optional<std::uint8_t> parse_byte_token(std::string_view text) {
    if (text.size() != 6 || !text.starts_with("<0x") || text[5] != '>' || !is_hex_digit(text[3]) ||
        !is_hex_digit(text[4])) {
        return std::nullopt;
    }
    const auto digit = [](char c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    };
    return static_cast<std::uint8_t>(digit(text[3]) * 16 + digit(text[4]));
}

}  // namespace

Result<Vocab> Vocab::load(const gguf::GgufFile& file) {
    Vocab vocab;
    vocab.label_ = file.label();
    const auto model = file.get_string("tokenizer.ggml.model");
    if (!model) {
        return vocab_error(file.label(), "tokenizer.ggml.model",
                           "missing: the file carries no tokenizer");
    }
    if (*model == "gpt2") {
        vocab.kind_ = VocabKind::Bpe;
    } else if (*model == "llama") {
        vocab.kind_ = VocabKind::Spm;
    } else {
        return vocab_error(file.label(), "tokenizer.ggml.model",
                           fmt::format("unsupported tokenizer '{}' (supported: gpt2, llama)", *model));
    }
    vocab.pre_tokenizer_ = std::string(file.get_string("tokenizer.ggml.pre").value_or("default"));
    vocab.ignore_merges_ = std::find(std::begin(kIgnoreMergesPre), std::end(kIgnoreMergesPre),
                                     vocab.pre_tokenizer_) != std::end(kIgnoreMergesPre);
    INHOUSE_RETURN_IF_ERROR(vocab.load_tokens(file));
    INHOUSE_RETURN_IF_ERROR(vocab.index_byte_tokens());
    if (vocab.kind_ == VocabKind::Bpe) INHOUSE_RETURN_IF_ERROR(vocab.load_merges(file));
    INHOUSE_RETURN_IF_ERROR(vocab.load_special(file));
    vocab.order_special_tokens();
    return vocab;
}

Status Vocab::load_tokens(const gguf::GgufFile& file) {
    INHOUSE_ASSIGN_OR_RETURN(const auto* texts, get_typed_array(file, "tokenizer.ggml.tokens",
                                                                gguf::ValueType::String, true));
    if (texts->n_elements == 0 || texts->n_elements > kMaxVocabSize) {
        return vocab_error(label_, "tokenizer.ggml.tokens",
                           fmt::format("{} tokens (expected 1..{})", texts->n_elements, kMaxVocabSize));
    }
    const std::size_t n_tokens = texts->n_elements;
    INHOUSE_ASSIGN_OR_RETURN(const auto* scores, get_typed_array(file, "tokenizer.ggml.scores",
                                                                 gguf::ValueType::Float32, false));
    INHOUSE_ASSIGN_OR_RETURN(const auto* kinds, get_typed_array(file, "tokenizer.ggml.token_type",
                                                                gguf::ValueType::Int32, false));
    for (const auto& [key, array] : {std::pair{"tokenizer.ggml.scores", scores},
                                     std::pair{"tokenizer.ggml.token_type", kinds}}) {
        if (array != nullptr && array->n_elements != n_tokens) {
            return vocab_error(label_, key,
                               fmt::format("{} entries for {} tokens", array->n_elements, n_tokens));
        }
    }
    tokens_.resize(n_tokens);
    ids_by_text_.reserve(n_tokens);
    for (std::size_t id = 0; id < n_tokens; ++id) {
        auto& token = tokens_[id];
        token.text = texts->strings[id];
        if (scores != nullptr) token.score = static_cast<float>(*scores->element(id).as_float());
        if (kinds != nullptr) {
            const auto kind = *kinds->element(id).as_int();
            if (kind < 1 || kind > 6) {
                return vocab_error(label_, "tokenizer.ggml.token_type",
                                   fmt::format("token {} has unknown type {}", id, kind));
            }
            token.kind = static_cast<TokenKind>(kind);
        }
        ids_by_text_[token.text] = static_cast<TokenId>(id);  // the last duplicate wins, as in llama.cpp
    }
    return {};
}

Status Vocab::index_byte_tokens() {
    std::fill(std::begin(byte_tokens_), std::end(byte_tokens_), kNoToken);
    for (std::size_t id = 0; id < tokens_.size(); ++id) {
        if (tokens_[id].kind != TokenKind::Byte) continue;
        if (!parse_byte_token(tokens_[id].text)) {
            return vocab_error(label_, "tokenizer.ggml.tokens",
                               fmt::format("byte token {} is not of the form <0xNN>", id));
        }
    }
    if (kind_ != VocabKind::Spm) return {};
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (int byte = 0; byte < 256; ++byte) {
        const char name[6] = {'<', '0', 'x', kHex[byte >> 4], kHex[byte & 15], '>'};
        TokenId id = find(std::string_view(name, 6));
        if (id == kNoToken) id = find(std::string_view(reinterpret_cast<const char*>(&byte), 1));
        byte_tokens_[byte] = id;
    }
    return {};
}

Status Vocab::load_merges(const gguf::GgufFile& file) {
    INHOUSE_ASSIGN_OR_RETURN(const auto* merges, get_typed_array(file, "tokenizer.ggml.merges",
                                                                 gguf::ValueType::String, true));
    merge_ranks_.reserve(merges->n_elements);
    for (std::size_t rank = 0; rank < merges->n_elements; ++rank) {
        const std::string_view merge = merges->strings[rank];
        const auto space = merge.find(' ', 1);
        const TokenId left = space == std::string_view::npos ? kNoToken : find(merge.substr(0, space));
        const TokenId right = space == std::string_view::npos ? kNoToken : find(merge.substr(space + 1));
        if (left == kNoToken || right == kNoToken) {
            return vocab_error(label_, "tokenizer.ggml.merges",
                               fmt::format("merge {} ('{}') does not name two tokens of the "
                                           "vocabulary", rank, merge));
        }
        const auto key = (static_cast<std::uint64_t>(left) << 32) | static_cast<std::uint32_t>(right);
        merge_ranks_.emplace(key, static_cast<int>(rank));  // the first (best) rank wins
    }
    return {};
}

Status Vocab::load_special(const gguf::GgufFile& file) {
    const bool spm = kind_ == VocabKind::Spm;
    // llama.cpp's defaults for SentencePiece vocabularies without these keys.
    const auto default_id = [&](TokenId id) { return spm && contains(id) ? id : kNoToken; };
    struct Entry {
        const char* key;
        TokenId* id;
        TokenId fallback;
    };
    const Entry entries[] = {
        {"tokenizer.ggml.bos_token_id", &special_.bos, default_id(1)},
        {"tokenizer.ggml.eos_token_id", &special_.eos, default_id(2)},
        {"tokenizer.ggml.unknown_token_id", &special_.unk, default_id(0)},
        {"tokenizer.ggml.eot_token_id", &special_.eot, kNoToken},
        {"tokenizer.ggml.padding_token_id", &special_.pad, kNoToken},
        {"tokenizer.ggml.seperator_token_id", &special_.sep, kNoToken},  // sic: GGUF's spelling
    };
    for (const auto& entry : entries) {
        *entry.id = entry.fallback;
        const gguf::Value* value = file.find(entry.key);
        if (value == nullptr) continue;
        const auto id = value->as_uint();
        if (!id || *id >= tokens_.size()) {
            return vocab_error(label_, entry.key,
                               fmt::format("token id {} is outside the vocabulary of {} tokens",
                                           value->as_int().value_or(-1), tokens_.size()));
        }
        *entry.id = static_cast<TokenId>(*id);
    }
    special_.add_bos = file.get_bool("tokenizer.ggml.add_bos_token").value_or(spm || ignore_merges_);
    special_.add_eos = file.get_bool("tokenizer.ggml.add_eos_token").value_or(false);
    add_space_prefix_ = file.get_bool("tokenizer.ggml.add_space_prefix").value_or(spm);

    if (special_.eot == kNoToken) {
        for (const auto text : kEndOfTurnTexts) {
            if ((special_.eot = find(text)) != kNoToken) break;
        }
    }
    mark_control_tokens();
    return {};
}

void Vocab::mark_control_tokens() {
    for (auto& token : tokens_) token.is_control = token.kind == TokenKind::Control;
    auto& end_of_generation = special_.end_of_generation;
    const auto add_end = [&](TokenId id) {
        if (id != kNoToken &&
            std::find(end_of_generation.begin(), end_of_generation.end(), id) == end_of_generation.end()) {
            end_of_generation.push_back(id);
        }
    };
    add_end(special_.eos);
    add_end(special_.eot);
    for (const auto text : kEndOfGenerationTexts) {
        const TokenId id = find(text);
        if (id == kNoToken) continue;
        tokens_[static_cast<std::size_t>(id)].is_control = true;
        add_end(id);
    }
    for (const auto text : kOtherControlTexts) {
        if (const TokenId id = find(text); id != kNoToken) tokens_[static_cast<std::size_t>(id)].is_control = true;
    }
    // Where "</s>" sits beside these markers it is an ordinary token (Gemma 4, PLaMo).
    const TokenId end_s = find("</s>");
    if (end_s != kNoToken && (find("<|tool_response>") != kNoToken || find("<|plamo:eos|>") != kNoToken)) {
        tokens_[static_cast<std::size_t>(end_s)].is_control = false;
        tokens_[static_cast<std::size_t>(end_s)].kind = TokenKind::Normal;
        std::erase(end_of_generation, end_s);
    }
    // Harmony-style vocabularies use "<|end|>" between messages, not to stop.
    const TokenId end = find("<|end|>");
    if (end != kNoToken && find("<|call|>") != kNoToken &&
        (find("<|return|>") != kNoToken || find("<|flush|>") != kNoToken)) {
        tokens_[static_cast<std::size_t>(end)].is_control = false;
        tokens_[static_cast<std::size_t>(end)].kind = TokenKind::UserDefined;
        std::erase(end_of_generation, end);
    }
}

void Vocab::order_special_tokens() {
    for (std::size_t id = 0; id < tokens_.size(); ++id) {
        // An empty text would match everywhere; such a token is never matched in text.
        if (tokens_[id].is_special() && !tokens_[id].text.empty()) {
            special_token_order_.push_back(static_cast<TokenId>(id));
        }
    }
    std::stable_sort(special_token_order_.begin(), special_token_order_.end(),
                     [&](TokenId a, TokenId b) { return token(a).text.size() > token(b).text.size(); });
}

TokenId Vocab::find(std::string_view text) const {
    const auto it = ids_by_text_.find(text);
    return it == ids_by_text_.end() ? kNoToken : it->second;
}

int Vocab::merge_rank(TokenId left, TokenId right) const {
    const auto key = (static_cast<std::uint64_t>(left) << 32) | static_cast<std::uint32_t>(right);
    const auto it = merge_ranks_.find(key);
    return it == merge_ranks_.end() ? -1 : it->second;
}

}  // namespace inhouse::tokenizer
