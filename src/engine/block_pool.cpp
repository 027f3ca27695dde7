#include "engine/block_pool.h"

#include "core/check.h"

namespace inhouse::engine {

std::size_t BlockPool::KeyHash::operator()(const Key& key) const noexcept {
    // FNV-1a over the fields; equality is checked in full, so collisions only cost a compare.
    std::uint64_t hash = 14695981039346656037ull;
    const auto mix = [&hash](std::uint64_t value) {
        hash ^= value;
        hash *= 1099511628211ull;
    };
    mix(static_cast<std::uint32_t>(key.previous));
    mix(key.previous_generation);
    for (const auto token : key.tokens) mix(static_cast<std::uint32_t>(token));
    return static_cast<std::size_t>(hash);
}

BlockPool::BlockPool(std::int32_t n_blocks, std::int32_t tokens_per_block)
    : tokens_per_block_(tokens_per_block), blocks_(static_cast<std::size_t>(n_blocks)) {
    free_.reserve(static_cast<std::size_t>(n_blocks));
    // Handed out lowest id first.
    for (std::int32_t block = n_blocks - 1; block >= 0; --block) free_.push_back(block);
}

std::vector<std::int32_t> BlockPool::acquire_prefix(std::span<const tokenizer::TokenId> tokens,
                                                    std::int64_t max_blocks) {
    std::vector<std::int32_t> chain;
    Key key{.previous = -1, .previous_generation = 0, .tokens = {}};
    const auto per_block = static_cast<std::size_t>(tokens_per_block_);
    for (std::size_t start = 0; start + per_block <= tokens.size() && static_cast<std::int64_t>(chain.size()) < max_blocks;
         start += per_block) {
        key.tokens.assign(tokens.begin() + static_cast<std::ptrdiff_t>(start),
                          tokens.begin() + static_cast<std::ptrdiff_t>(start + per_block));
        const auto found = published_.find(key);
        if (found == published_.end()) break;
        const std::int32_t block = found->second;
        Block& b = blocks_[static_cast<std::size_t>(block)];
        if (b.references == 0) {
            cached_.erase(b.cached_at);
            ++n_in_use_;
        }
        ++b.references;
        chain.push_back(block);
        key.previous = block;
        key.previous_generation = b.generation;
    }
    return chain;
}

std::optional<std::int32_t> BlockPool::allocate() {
    std::int32_t block = -1;
    if (!free_.empty()) {
        block = free_.back();
        free_.pop_back();
    } else if (!cached_.empty()) {
        block = cached_.front();
        cached_.pop_front();
        forget(block);
    } else {
        return std::nullopt;
    }
    blocks_[static_cast<std::size_t>(block)].references = 1;
    ++n_in_use_;
    return block;
}

void BlockPool::publish(std::int32_t block, std::int32_t previous, std::span<const tokenizer::TokenId> tokens) {
    INHOUSE_CHECK(static_cast<std::int32_t>(tokens.size()) == tokens_per_block_, "publishing a partial block");
    Block& b = blocks_[static_cast<std::size_t>(block)];
    if (b.published) return;
    Key key{.previous = previous,
            .previous_generation = previous >= 0 ? blocks_[static_cast<std::size_t>(previous)].generation : 0u,
            .tokens = {tokens.begin(), tokens.end()}};
    if (published_.contains(key)) return;
    b.published = true;
    b.key = key;
    published_.emplace(std::move(key), block);
}

void BlockPool::release(std::int32_t block) {
    Block& b = blocks_[static_cast<std::size_t>(block)];
    INHOUSE_CHECK(b.references > 0, "releasing block {} that nobody holds", block);
    if (--b.references > 0) return;
    --n_in_use_;
    if (b.published) {
        b.cached_at = cached_.insert(cached_.end(), block);
    } else {
        free_.push_back(block);
    }
}

void BlockPool::forget(std::int32_t block) {
    Block& b = blocks_[static_cast<std::size_t>(block)];
    if (b.published) {
        published_.erase(b.key);
        b.published = false;
        b.key = {};
    }
    ++b.generation;
}

}  // namespace inhouse::engine
