#include "model/kv_cache.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace inhouse::model {

std::uint64_t KvCache::bytes_per_token(const HParams& h) {
    return static_cast<std::uint64_t>(h.n_layers) * static_cast<std::uint64_t>(h.k_dim() + h.v_dim()) *
           sizeof(float);
}

Result<KvCache> KvCache::create_paged(const HParams& h, std::int64_t n_ctx, std::int64_t n_seqs,
                                      std::int64_t n_blocks) {
    if (n_ctx <= 0 || n_seqs <= 0 || n_blocks <= 0) {
        return make_error(ErrorCode::InvalidArgument, "KV cache needs a positive context, sequence and block count");
    }
    if (n_blocks > std::numeric_limits<std::int32_t>::max()) {
        return make_error(ErrorCode::InvalidArgument, "KV cache of {} blocks is too large", n_blocks);
    }
    KvCache cache;
    cache.n_layers_ = h.n_layers;
    cache.n_seqs_ = n_seqs;
    cache.n_ctx_ = n_ctx;
    cache.n_blocks_ = n_blocks;
    cache.n_heads_kv_ = h.n_heads_kv;
    cache.head_dim_k_ = h.head_dim_k;
    cache.head_dim_v_ = h.head_dim_v;
    cache.tables_.resize(static_cast<std::size_t>(n_seqs));
    for (auto& table : cache.tables_) table.reserve(static_cast<std::size_t>(blocks_for(n_ctx)));
    const auto n_slots = static_cast<std::size_t>(h.n_layers * n_blocks * kBlockTokens);
    auto keys = HugePageBuffer::allocate_committed(n_slots * static_cast<std::size_t>(h.k_dim()) * sizeof(float));
    auto values = HugePageBuffer::allocate_committed(n_slots * static_cast<std::size_t>(h.v_dim()) * sizeof(float));
    if (!keys.ok() || !values.ok()) {
        return make_error(ErrorCode::Io, "cannot allocate a KV cache of {:.1f} MiB ({} blocks of {} tokens)",
                          static_cast<double>(bytes_per_token(h) * n_slots / static_cast<std::size_t>(h.n_layers)) /
                              (1 << 20),
                          n_blocks, kBlockTokens);
    }
    cache.keys_ = std::move(keys).value();
    cache.values_ = std::move(values).value();
    cache.k_ = reinterpret_cast<float*>(cache.keys_.data());
    cache.v_ = reinterpret_cast<float*>(cache.values_.data());
    return cache;
}

Result<KvCache> KvCache::create(const HParams& h, std::int64_t n_ctx, std::int64_t n_seqs) {
    const std::int64_t per_seq = blocks_for(n_ctx);
    INHOUSE_ASSIGN_OR_RETURN(auto cache, create_paged(h, n_ctx, n_seqs, per_seq * std::max<std::int64_t>(n_seqs, 1)));
    for (std::int64_t seq = 0; seq < n_seqs; ++seq) {
        auto& table = cache.block_table(seq);
        for (std::int64_t i = 0; i < per_seq; ++i) table.push_back(static_cast<std::int32_t>(seq * per_seq + i));
    }
    return cache;
}

}  // namespace inhouse::model
