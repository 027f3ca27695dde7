#include "tokenizer/spm.h"

#include <queue>
#include <unordered_map>

namespace inhouse::tokenizer {

namespace {

std::size_t utf8_sequence_length(std::uint8_t lead) {
    static constexpr std::uint8_t kLengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return kLengths[lead >> 4];
}

struct Symbol {
    std::size_t offset;
    std::size_t length;  // 0 once merged into its left neighbour
    int prev;
    int next;
};

struct Bigram {
    int left;
    int right;
    float score;
    std::size_t length;
    bool operator<(const Bigram& other) const {  // highest score first, then leftmost
        return score < other.score || (score == other.score && left > other.left);
    }
};

class SpmMerger {
public:
    SpmMerger(const Vocab& vocab, std::string_view text) : vocab_(vocab), text_(text) {}

    void run(std::vector<TokenId>& output) {
        for (std::size_t offset = 0; offset < text_.size();) {
            const std::size_t length = std::min(text_.size() - offset,
                                                utf8_sequence_length(static_cast<std::uint8_t>(text_[offset])));
            const int index = static_cast<int>(symbols_.size());
            symbols_.push_back({offset, length, index - 1,
                                offset + length == text_.size() ? -1 : index + 1});
            offset += length;
        }
        for (int i = 1; i < static_cast<int>(symbols_.size()); ++i) add_bigram(i - 1, i);
        while (!queue_.empty()) {
            const Bigram bigram = queue_.top();
            queue_.pop();
            Symbol& left = symbols_[static_cast<std::size_t>(bigram.left)];
            Symbol& right = symbols_[static_cast<std::size_t>(bigram.right)];
            if (left.length == 0 || right.length == 0 || left.length + right.length != bigram.length) {
                continue;
            }
            left.length += right.length;
            right.length = 0;
            left.next = right.next;
            if (right.next >= 0) symbols_[static_cast<std::size_t>(right.next)].prev = bigram.left;
            add_bigram(left.prev, bigram.left);
            add_bigram(bigram.left, left.next);
        }
        for (int i = symbols_.empty() ? -1 : 0; i != -1; i = symbols_[static_cast<std::size_t>(i)].next) {
            resegment(symbols_[static_cast<std::size_t>(i)], output, 0);
        }
    }

private:
    std::string_view text_of(std::size_t offset, std::size_t length) const {
        return text_.substr(offset, length);
    }

    void add_bigram(int left, int right) {
        if (left < 0 || right < 0) return;
        const Symbol& a = symbols_[static_cast<std::size_t>(left)];
        const Symbol& b = symbols_[static_cast<std::size_t>(right)];
        const auto text = text_of(a.offset, a.length + b.length);
        const TokenId id = vocab_.find(text);
        if (id == kNoToken) return;
        queue_.push({left, right, vocab_.token(id).score, text.size()});
        merged_from_[text] = {left, right};
    }

    // Emits a symbol as its token, or splits it back into the pieces it was merged from, or
    // falls back to byte tokens.
    void resegment(const Symbol& symbol, std::vector<TokenId>& output, int depth) {
        const auto text = text_of(symbol.offset, symbol.length);
        const TokenId id = vocab_.find(text);
        if (id != kNoToken) {
            output.push_back(id);
            return;
        }
        const auto origin = merged_from_.find(text);
        if (origin == merged_from_.end() || depth > 64) {
            for (const char byte : text) {
                const TokenId byte_id = vocab_.byte_token(static_cast<std::uint8_t>(byte));
                const TokenId fallback = byte_id != kNoToken ? byte_id : vocab_.special().unk;
                if (fallback != kNoToken) output.push_back(fallback);
            }
            return;
        }
        resegment(symbols_[static_cast<std::size_t>(origin->second.first)], output, depth + 1);
        resegment(symbols_[static_cast<std::size_t>(origin->second.second)], output, depth + 1);
    }

    const Vocab& vocab_;
    std::string_view text_;
    std::vector<Symbol> symbols_;
    std::priority_queue<Bigram> queue_;
    std::unordered_map<std::string_view, std::pair<int, int>> merged_from_;
};

}  // namespace

void spm_encode(const Vocab& vocab, std::string_view text, std::vector<TokenId>& output) {
    SpmMerger(vocab, text).run(output);
}

}  // namespace inhouse::tokenizer
