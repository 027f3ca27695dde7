#include "tokenizer/tokenizer.h"

#include <cctype>
#include <list>

#include "tokenizer/bpe.h"
#include "tokenizer/spm.h"
#include "tokenizer/utf8_repair.h"

namespace inhouse::tokenizer {

namespace {

constexpr std::string_view kSpmSpace = "\xE2\x96\x81";  // U+2581, SentencePiece's space

std::string escape_spaces(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size() + text.size() / 2);
    for (const char c : text) {
        if (c == ' ') {
            escaped += kSpmSpace;
        } else {
            escaped += c;
        }
    }
    return escaped;
}

std::string unescape_spaces(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text.substr(i, kSpmSpace.size()) == kSpmSpace) {
            out += ' ';
            i += kSpmSpace.size();
        } else {
            out += text[i++];
        }
    }
    return out;
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

}  // namespace

Result<Tokenizer> Tokenizer::load(const gguf::GgufFile& file) {
    INHOUSE_ASSIGN_OR_RETURN(auto vocab, Vocab::load(file));
    std::optional<PreTokenizer> pre;
    if (vocab.kind() == VocabKind::Bpe) {
        auto created = PreTokenizer::create(vocab.pre_tokenizer());
        if (!created.ok()) return std::move(created).error().context("{}", file.label());
        pre.emplace(std::move(created).value());
    }
    return Tokenizer(std::move(vocab), std::move(pre));
}

// Splits raw text around special tokens, longest first; user-defined tokens always split,
// control and unknown tokens only when `parse_special`.
std::vector<Tokenizer::Fragment> Tokenizer::split_special(std::string_view text,
                                                          const EncodeOptions& options) const {
    const bool parse_special = options.parse_special;
    // Whether [begin, end) of `text` overlaps a range where special tokens are not allowed.
    const auto is_literal = [&](std::size_t begin, std::size_t end) {
        for (const auto& [lo, hi] : options.literal_ranges) {
            if (begin < hi && lo < end) return true;
        }
        return false;
    };
    if (text.empty()) return {};  // not even a SentencePiece space prefix
    std::list<Fragment> fragments = {Fragment{.text = text}};
    for (const TokenId id : vocab_.special_token_order()) {
        const TokenData& data = vocab_.token(id);
        if (!parse_special && data.is_hidden()) continue;
        for (auto it = fragments.begin(); it != fragments.end();) {
            if (it->token != kNoToken) {
                ++it;
                continue;
            }
            const auto base = static_cast<std::size_t>(it->text.data() - text.data());
            auto match = it->text.find(data.text);
            while (match != std::string_view::npos && is_literal(base + match, base + match + data.text.size())) {
                match = it->text.find(data.text, match + 1);
            }
            if (match == std::string_view::npos) {
                ++it;
                continue;
            }
            std::string_view left = it->text.substr(0, match);
            std::string_view right = it->text.substr(match + data.text.size());
            if (data.lstrip) {
                while (!left.empty() && is_space(left.back())) left.remove_suffix(1);
            }
            if (data.rstrip) {
                while (!right.empty() && is_space(right.front())) right.remove_prefix(1);
            }
            // [left] token [right]; scanning goes on in the right part.
            const auto next = fragments.erase(it);
            if (!left.empty()) fragments.insert(next, Fragment{.text = left});
            fragments.insert(next, Fragment{.text = {}, .token = id});
            it = right.empty() ? next : fragments.insert(next, Fragment{.text = right});
        }
    }
    return {fragments.begin(), fragments.end()};
}

void Tokenizer::encode_text(std::string_view text, bool after_special,
                            std::vector<TokenId>& output) const {
    if (vocab_.kind() == VocabKind::Spm) {
        std::string prefixed = vocab_.add_space_prefix() && after_special ? " " : "";
        prefixed += text;
        spm_encode(vocab_, escape_spaces(prefixed), output);
        return;
    }
    // Byte-level BPE runs its regexes on code points: invalid UTF-8 becomes U+FFFD first.
    bool saw_surrogate = false;
    const std::string valid = repair_utf8(text, false, &saw_surrogate);
    std::vector<std::string_view> pieces;
    pre_->split(valid, pieces);
    // The reference keeps surrogates' own bytes; the U+FFFD standing in for them during the
    // split has the same length, so the pieces map onto that text offset for offset.
    const std::string kept = saw_surrogate ? repair_utf8(text, true) : std::string();
    for (const auto piece : pieces) {
        const auto offset = static_cast<std::size_t>(piece.data() - valid.data());
        bpe_encode_piece(vocab_, saw_surrogate ? std::string_view(kept).substr(offset, piece.size()) : piece,
                         output);
    }
}

std::vector<TokenId> Tokenizer::encode(std::string_view text, const EncodeOptions& options) const {
    std::vector<TokenId> output;
    const auto& special = vocab_.special();
    if (options.add_special && special.add_bos && special.bos != kNoToken) {
        output.push_back(special.bos);
    }
    bool after_special = true;  // SentencePiece prefixes a space at the start and after specials
    for (const auto& fragment : split_special(text, options)) {
        if (fragment.token != kNoToken) {
            output.push_back(fragment.token);
            after_special = true;
        } else {
            encode_text(fragment.text, after_special, output);
            after_special = false;
        }
    }
    if (options.add_special && special.add_eos && special.eos != kNoToken) {
        output.push_back(special.eos);
    }
    return output;
}

std::string Tokenizer::token_to_piece(TokenId id, bool render_special, bool strip_leading_space) const {
    if (!vocab_.contains(id)) return {};
    const TokenData& data = vocab_.token(id);
    std::string piece;
    if (data.is_special()) {
        if (!data.is_hidden() || render_special) piece = std::string(data.text);
    } else if (data.kind == TokenKind::Normal) {
        piece = vocab_.kind() == VocabKind::Spm ? unescape_spaces(data.text) : symbols_to_bytes(data.text);
    } else if (data.kind == TokenKind::Byte) {
        piece.push_back(static_cast<char>(std::stoi(std::string(data.text.substr(3, 2)), nullptr, 16)));
    }
    if (strip_leading_space && !piece.empty() && piece.front() == ' ') piece.erase(0, 1);
    return piece;
}

std::string Tokenizer::decode(std::span<const TokenId> ids, const DecodeOptions& options) const {
    const auto& special = vocab_.special();
    bool strip_space = vocab_.add_space_prefix();
    if (options.remove_special && special.add_bos && !ids.empty() && ids.front() == special.bos) {
        strip_space = false;
        ids = ids.subspan(1);
    }
    if (options.remove_special && special.add_eos && !ids.empty() && ids.back() == special.eos) {
        ids = ids.subspan(0, ids.size() - 1);
    }
    std::string text;
    for (const TokenId id : ids) {
        text += token_to_piece(id, options.render_special, strip_space);
        strip_space = false;
    }
    return text;
}

}  // namespace inhouse::tokenizer
