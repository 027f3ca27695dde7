#include "model/kv_cache.h"

#include <new>

namespace inhouse::model {

std::uint64_t KvCache::bytes_per_token(const HParams& h) {
    return static_cast<std::uint64_t>(h.n_layers) * static_cast<std::uint64_t>(h.k_dim() + h.v_dim()) *
           sizeof(float);
}

Result<KvCache> KvCache::create(const HParams& h, std::int64_t n_ctx, std::int64_t n_seqs) {
    if (n_ctx <= 0 || n_seqs <= 0) {
        return make_error(ErrorCode::InvalidArgument, "KV cache needs a positive context and sequence count");
    }
    KvCache cache;
    cache.n_layers_ = h.n_layers;
    cache.n_seqs_ = n_seqs;
    cache.n_ctx_ = n_ctx;
    cache.k_dim_ = h.k_dim();
    cache.v_dim_ = h.v_dim();
    const auto n_slots = static_cast<std::size_t>(h.n_layers * n_seqs * n_ctx);
    cache.k_.reset(new (std::nothrow) float[n_slots * static_cast<std::size_t>(cache.k_dim_)]);
    cache.v_.reset(new (std::nothrow) float[n_slots * static_cast<std::size_t>(cache.v_dim_)]);
    if (!cache.k_ || !cache.v_) {
        return make_error(ErrorCode::Io, "cannot allocate a KV cache of {:.1f} MiB ({} tokens x {} sequences)",
                          static_cast<double>(bytes_per_token(h) * n_slots / h.n_layers) / (1 << 20),
                          n_ctx, n_seqs);
    }
    return cache;
}

}  // namespace inhouse::model
