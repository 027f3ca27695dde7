// Keys and values of every processed token, per layer and sequence, so each new token attends
// to the past without recomputing it. Paged: the cache is a pool of blocks of kBlockTokens
// positions, and each sequence has a block table naming the block that holds each run of
// kBlockTokens of its positions. Blocks can be shared by sequences with a common prefix; who
// owns which block is the engine's business (engine/block_pool.h) — the model only reads the
// tables. Keys and values are kept as float16 by default (llama.cpp's default too): half the
// memory of float32 for a context, and half the bytes a long context's decode reads per token.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/huge_page_buffer.h"
#include "core/result.h"
#include "model/hparams.h"

namespace inhouse::model {

// How cached keys and values are stored: F16 (IEEE half, rounded to nearest even) or F32 (every
// bit the projections produced). Attention computes in float either way.
enum class KvCacheType { F32, F16 };
std::size_t kv_cache_element_bytes(KvCacheType type) noexcept;
std::string_view kv_cache_type_name(KvCacheType type) noexcept;  // "f32", "f16"

class KvCache {
public:
    static constexpr std::int64_t kBlockTokens = 16;

    // Bytes one token occupies across all layers (keys and values).
    static std::uint64_t bytes_per_token(const HParams& hparams, KvCacheType type);
    // Blocks that hold n_positions positions.
    static std::int64_t blocks_for(std::int64_t n_positions) { return (n_positions + kBlockTokens - 1) / kBlockTokens; }

    // n_seqs sequences of up to n_ctx positions, each with its own blocks in its table already.
    static Result<KvCache> create(const HParams& hparams, std::int64_t n_ctx, std::int64_t n_seqs, KvCacheType type);
    // A pool of n_blocks blocks for n_seqs sequences of up to n_ctx positions; tables start empty
    // and the caller fills them before a sequence's positions are used.
    static Result<KvCache> create_paged(const HParams& hparams, std::int64_t n_ctx, std::int64_t n_seqs,
                                        std::int64_t n_blocks, KvCacheType type);

    KvCacheType type() const { return type_; }
    std::int64_t n_ctx() const { return n_ctx_; }
    std::int64_t n_seqs() const { return n_seqs_; }
    std::int64_t n_blocks() const { return n_blocks_; }
    // What the keys and values occupy: n_blocks · kBlockTokens · bytes_per_token.
    std::size_t size_bytes() const { return keys_.size_bytes() + values_.size_bytes(); }

    // Block ids of a sequence's positions [16i, 16i + 16) for i = 0, 1, …
    std::vector<std::int32_t>& block_table(std::int64_t seq) { return tables_[static_cast<std::size_t>(seq)]; }
    const std::vector<std::int32_t>& block_table(std::int64_t seq) const {
        return tables_[static_cast<std::size_t>(seq)];
    }

    // One token's keys [k_dim] and values [v_dim], every key/value head, converted to type().
    void store(std::int64_t layer, std::int64_t seq, std::int64_t pos, const float* keys, const float* values);

    // [head_dim_k] keys of one key/value head of one token of one sequence in one layer, and
    // its [head_dim_v] values; Element is float for F32 and std::uint16_t (half bits) for F16.
    template <class Element>
    const Element* keys(std::int64_t layer, std::int64_t seq, std::int64_t pos, std::int64_t kv_head) const {
        static_assert(std::is_same_v<Element, float> || std::is_same_v<Element, std::uint16_t>);
        return reinterpret_cast<const Element*>(k_) + offset(layer, seq, pos, kv_head) * head_dim_k_;
    }
    template <class Element>
    const Element* values(std::int64_t layer, std::int64_t seq, std::int64_t pos, std::int64_t kv_head) const {
        static_assert(std::is_same_v<Element, float> || std::is_same_v<Element, std::uint16_t>);
        return reinterpret_cast<const Element*>(v_) + offset(layer, seq, pos, kv_head) * head_dim_v_;
    }

private:
    KvCache() = default;
    // In rows of one head. Each key/value head of a layer has its own region, in which a block
    // holds the head's kBlockTokens rows: attention walks one head's positions, and a
    // sequence's blocks, allocated in order, make one unbroken stream (with the blocks of all
    // heads side by side, it read 16-row runs 128 KiB apart in a 7B model, each a new stream
    // for the prefetchers).
    std::size_t offset(std::int64_t layer, std::int64_t seq, std::int64_t pos, std::int64_t kv_head) const {
        const std::int64_t block = tables_[static_cast<std::size_t>(seq)][static_cast<std::size_t>(pos / kBlockTokens)];
        return static_cast<std::size_t>(((layer * n_heads_kv_ + kv_head) * n_blocks_ + block) * kBlockTokens +
                                        pos % kBlockTokens);
    }

    KvCacheType type_ = KvCacheType::F16;
    std::int64_t n_layers_ = 0;
    std::int64_t n_seqs_ = 0;
    std::int64_t n_ctx_ = 0;
    std::int64_t n_blocks_ = 0;
    std::int64_t n_heads_kv_ = 0;
    std::int64_t head_dim_k_ = 0;
    std::int64_t head_dim_v_ = 0;
    std::vector<std::vector<std::int32_t>> tables_;  // [n_seqs][blocks in use]
    // Committed when created (core/huge_page_buffer.h): the memory a server will need when its
    // contexts fill is resident from the start, so the check made before loading holds for
    // the process's life instead of the OOM killer deciding later. Huge pages: attention
    // streams through it.
    HugePageBuffer keys_;    // elements [n_layers, n_heads_kv, n_blocks, kBlockTokens, head_dim_k]
    HugePageBuffer values_;  // elements [n_layers, n_heads_kv, n_blocks, kBlockTokens, head_dim_v]
    std::uint8_t* k_ = nullptr;
    std::uint8_t* v_ = nullptr;
};

}  // namespace inhouse::model
