// One forward pass over a batch of tokens from one or more sequences: writes their keys and
// values into the cache and returns the logits of the tokens that asked for them.
#pragma once

#include <cstdint>
#include <span>

#include "core/thread_pool.h"
#include "model/activations.h"
#include "model/kv_cache.h"
#include "model/model.h"

namespace inhouse::model {

struct BatchToken {
    std::int32_t token = 0;
    std::int64_t pos = 0;      // position within its sequence
    std::int64_t seq = 0;      // KV cache slot
    bool wants_logits = false;
};

// Preconditions (checked by the caller at admission): token < n_vocab, pos < cache.n_ctx(),
// seq < cache.n_seqs(), batch.size() ≤ activations.n_batch_max, at most
// activations.n_outputs_max tokens want logits, every position below `pos`
// of the token's sequence is already in the cache or earlier in this batch.
// Returns [n_outputs, n_vocab] logits, in batch order, valid until the next call.
std::span<const float> forward(const Model& model, std::span<const BatchToken> batch,
                               KvCache& cache, Activations& activations, ThreadPool& pool) noexcept;

}  // namespace inhouse::model
