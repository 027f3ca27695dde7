// Who holds which KV cache block (model/kv_cache.h), and the prefix cache. A block in use has a
// reference count (sequences sharing a prefix share its blocks). A full block can be published:
// keyed by its tokens and the block before it, so a later prompt that starts with the same
// tokens finds the whole chain and skips recomputing it. Published blocks stay cached after
// their last user releases them, and are forgotten least recently released first when a new
// block is needed.
#pragma once

#include <cstdint>
#include <list>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace inhouse::engine {

class BlockPool {
public:
    BlockPool(std::int32_t n_blocks, std::int32_t tokens_per_block);

    std::int32_t n_blocks() const { return static_cast<std::int32_t>(blocks_.size()); }
    std::int32_t n_in_use() const { return n_in_use_; }
    std::int32_t n_cached() const { return static_cast<std::int32_t>(cached_.size()); }
    // Blocks allocate() can hand out now: free ones plus cached ones it may forget.
    std::int32_t n_available() const { return n_blocks() - n_in_use_; }

    // The longest chain of published blocks holding tokens[0, k · tokens_per_block), k ≤
    // max_blocks, each acquired for the caller (released later with release()).
    std::vector<std::int32_t> acquire_prefix(std::span<const tokenizer::TokenId> tokens, std::int64_t max_blocks);
    // A block for new tokens, held once by the caller: a free one, else the least recently
    // released cached one (forgotten). nullopt when every block is in use.
    std::optional<std::int32_t> allocate();
    // `block` (held by the caller) now holds exactly `tokens` (tokens_per_block of them),
    // following `previous` (-1 for a sequence's first block). Ignored when an identical block
    // is already published.
    void publish(std::int32_t block, std::int32_t previous, std::span<const tokenizer::TokenId> tokens);
    void release(std::int32_t block);

private:
    struct Key {
        std::int32_t previous;
        std::uint32_t previous_generation;
        std::vector<tokenizer::TokenId> tokens;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const noexcept;
    };
    struct Block {
        std::int32_t references = 0;
        // Bumped whenever the block's contents are forgotten, so keys naming it as `previous`
        // stop matching.
        std::uint32_t generation = 0;
        bool published = false;
        Key key;
        std::list<std::int32_t>::iterator cached_at;  // valid while cached
    };

    void forget(std::int32_t block);

    std::int32_t tokens_per_block_;
    std::vector<Block> blocks_;
    std::vector<std::int32_t> free_;     // never used or forgotten
    std::list<std::int32_t> cached_;     // published, unreferenced; least recently released first
    std::unordered_map<Key, std::int32_t, KeyHash> published_;
    std::int32_t n_in_use_ = 0;
};

}  // namespace inhouse::engine
