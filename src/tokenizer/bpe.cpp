#include "tokenizer/bpe.h"

#include <array>
#include <queue>

namespace inhouse::tokenizer {

namespace {

std::string encode_utf8(std::uint32_t code_point) {
    std::string out;
    if (code_point < 0x80) {
        out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
    return out;
}

bool is_printable_byte(int byte) {
    return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || (byte >= 0xAE);
}

struct ByteTables {
    std::array<std::string, 256> symbols;
    std::array<int, 0x200> byte_of_code_point;  // -1 where a code point is not in the mapping
};

// Printable bytes map to themselves; the others to 256, 257, … in byte order.
const ByteTables& tables() {
    static const ByteTables built = [] {
        ByteTables t;
        t.byte_of_code_point.fill(-1);
        std::uint32_t next_extra = 256;
        for (int byte = 0; byte < 256; ++byte) {
            const std::uint32_t code_point = is_printable_byte(byte) ? byte : next_extra++;
            t.symbols[byte] = encode_utf8(code_point);
            t.byte_of_code_point[code_point] = byte;
        }
        return t;
    }();
    return built;
}

std::size_t utf8_sequence_length(std::uint8_t lead) {
    static constexpr std::uint8_t kLengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return kLengths[lead >> 4];
}

struct Symbol {
    std::size_t offset;  // into the encoded piece
    std::size_t length;  // 0 once merged into its left neighbour
    int prev;
    int next;
};

struct Bigram {
    int left;
    int right;
    int rank;
    std::size_t length;
    bool operator<(const Bigram& other) const {  // priority_queue pops the largest
        return rank > other.rank || (rank == other.rank && left > other.left);
    }
};

class BpeMerger {
public:
    BpeMerger(const Vocab& vocab, std::string_view encoded) : vocab_(vocab), text_(encoded) {}

    void run(std::vector<TokenId>& output) {
        if (vocab_.ignore_merges() && vocab_.find(text_) != kNoToken) {
            output.push_back(vocab_.find(text_));
            return;
        }
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
            if (left.length == 0 || right.length == 0 || left.next != bigram.right ||
                left.length + right.length != bigram.length) {
                continue;  // outdated: one side has merged since
            }
            left.length += right.length;
            right.length = 0;
            left.next = right.next;
            if (right.next >= 0) symbols_[static_cast<std::size_t>(right.next)].prev = bigram.left;
            add_bigram(left.prev, bigram.left);
            add_bigram(bigram.left, left.next);
        }
        emit(output);
    }

private:
    std::string_view text_of(const Symbol& symbol) const {
        return text_.substr(symbol.offset, symbol.length);
    }

    void add_bigram(int left, int right) {
        if (left < 0 || right < 0) return;
        const Symbol& a = symbols_[static_cast<std::size_t>(left)];
        const Symbol& b = symbols_[static_cast<std::size_t>(right)];
        const TokenId left_id = vocab_.find(text_of(a));
        const TokenId right_id = vocab_.find(text_of(b));
        if (left_id == kNoToken || right_id == kNoToken) return;
        const int rank = vocab_.merge_rank(left_id, right_id);
        if (rank < 0) return;
        queue_.push({left, right, rank, a.length + b.length});
    }

    void emit(std::vector<TokenId>& output) const {
        for (const Symbol& symbol : symbols_) {
            if (symbol.length == 0) continue;
            const TokenId id = vocab_.find(text_of(symbol));
            if (id != kNoToken) {
                output.push_back(id);
                continue;
            }
            // Not a token: fall back to its single bytes that are tokens (llama.cpp drops the
            // rest; byte-level vocabularies hold every byte's symbol, so nothing is lost there).
            for (const char byte : text_of(symbol)) {
                const TokenId byte_id = vocab_.find(std::string_view(&byte, 1));
                if (byte_id != kNoToken) output.push_back(byte_id);
            }
        }
    }

    const Vocab& vocab_;
    std::string_view text_;
    std::vector<Symbol> symbols_;
    std::priority_queue<Bigram> queue_;
};

}  // namespace

const std::string& byte_to_symbol(std::uint8_t byte) { return tables().symbols[byte]; }

std::string symbols_to_bytes(std::string_view text) {
    std::string bytes;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<std::uint8_t>(text[i]);
        const std::size_t length = std::min(text.size() - i, utf8_sequence_length(lead));
        std::uint32_t code_point = 0x200;  // outside the table unless decoded below
        if (length == 1) {
            code_point = lead;
        } else if (length == 2) {
            code_point = ((lead & 0x1Fu) << 6) | (static_cast<std::uint8_t>(text[i + 1]) & 0x3Fu);
        }
        const int byte = code_point < 0x200 ? tables().byte_of_code_point[code_point] : -1;
        if (byte >= 0) {
            bytes.push_back(static_cast<char>(byte));
        } else {
            bytes.append(text.substr(i, length));
        }
        i += length;
    }
    return bytes;
}

void bpe_encode_piece(const Vocab& vocab, std::string_view piece, std::vector<TokenId>& output) {
    std::string encoded;
    encoded.reserve(piece.size() * 2);
    for (const char byte : piece) encoded += byte_to_symbol(static_cast<std::uint8_t>(byte));
    BpeMerger(vocab, encoded).run(output);
}

}  // namespace inhouse::tokenizer
