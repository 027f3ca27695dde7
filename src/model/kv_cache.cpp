#include "model/kv_cache.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include "kernels/fp16.h"

namespace inhouse::model {

std::size_t kv_cache_element_bytes(KvCacheType type) noexcept {
    return type == KvCacheType::F16 ? sizeof(std::uint16_t) : sizeof(float);
}

std::string_view kv_cache_type_name(KvCacheType type) noexcept { return type == KvCacheType::F16 ? "f16" : "f32"; }

std::uint64_t KvCache::bytes_per_token(const HParams& h, KvCacheType type) {
    return static_cast<std::uint64_t>(h.n_layers) * static_cast<std::uint64_t>(h.k_dim() + h.v_dim()) *
           kv_cache_element_bytes(type);
}

Result<KvCache> KvCache::create_paged(const HParams& h, std::int64_t n_ctx, std::int64_t n_seqs,
                                      std::int64_t n_blocks, KvCacheType type) {
    if (n_ctx <= 0 || n_seqs <= 0 || n_blocks <= 0) {
        return make_error(ErrorCode::InvalidArgument, "KV cache needs a positive context, sequence and block count");
    }
    if (n_blocks > std::numeric_limits<std::int32_t>::max()) {
        return make_error(ErrorCode::InvalidArgument, "KV cache of {} blocks is too large", n_blocks);
    }
    KvCache cache;
    cache.type_ = type;
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
    const std::size_t element_bytes = kv_cache_element_bytes(type);
    auto keys = HugePageBuffer::allocate_committed(n_slots * static_cast<std::size_t>(h.k_dim()) * element_bytes);
    auto values = HugePageBuffer::allocate_committed(n_slots * static_cast<std::size_t>(h.v_dim()) * element_bytes);
    if (!keys.ok() || !values.ok()) {
        return make_error(ErrorCode::Io, "cannot allocate a KV cache of {:.1f} MiB ({} blocks of {} tokens, {})",
                          static_cast<double>(bytes_per_token(h, type) * n_slots / static_cast<std::size_t>(h.n_layers)) /
                              (1 << 20),
                          n_blocks, kBlockTokens, kv_cache_type_name(type));
    }
    cache.keys_ = std::move(keys).value();
    cache.values_ = std::move(values).value();
    cache.k_ = cache.keys_.data();
    cache.v_ = cache.values_.data();
    return cache;
}

void KvCache::store(std::int64_t layer, std::int64_t seq, std::int64_t pos, const float* keys, const float* values) {
    const std::size_t element_bytes = kv_cache_element_bytes(type_);
    for (std::int64_t head = 0; head < n_heads_kv_; ++head) {
        const std::size_t row = offset(layer, seq, pos, head);
        std::uint8_t* k = k_ + row * static_cast<std::size_t>(head_dim_k_) * element_bytes;
        std::uint8_t* v = v_ + row * static_cast<std::size_t>(head_dim_v_) * element_bytes;
        const float* k_in = keys + head * head_dim_k_;
        const float* v_in = values + head * head_dim_v_;
        if (type_ == KvCacheType::F16) {
            kernels::fp32_to_fp16_row(k_in, reinterpret_cast<std::uint16_t*>(k), head_dim_k_);
            kernels::fp32_to_fp16_row(v_in, reinterpret_cast<std::uint16_t*>(v), head_dim_v_);
        } else {
            std::memcpy(k, k_in, sizeof(float) * static_cast<std::size_t>(head_dim_k_));
            std::memcpy(v, v_in, sizeof(float) * static_cast<std::size_t>(head_dim_v_));
        }
    }
}

Result<KvCache> KvCache::create(const HParams& h, std::int64_t n_ctx, std::int64_t n_seqs, KvCacheType type) {
    const std::int64_t per_seq = blocks_for(n_ctx);
    INHOUSE_ASSIGN_OR_RETURN(auto cache,
                             create_paged(h, n_ctx, n_seqs, per_seq * std::max<std::int64_t>(n_seqs, 1), type));
    for (std::int64_t seq = 0; seq < n_seqs; ++seq) {
        auto& table = cache.block_table(seq);
        for (std::int64_t i = 0; i < per_seq; ++i) table.push_back(static_cast<std::int32_t>(seq * per_seq + i));
    }
    return cache;
}

}  // namespace inhouse::model
