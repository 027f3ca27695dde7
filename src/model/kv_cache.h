// Keys and values of every processed token, per layer and sequence, so each new token attends
// to the past without recomputing it. One contiguous slot of n_ctx positions per sequence;
// issue #6 replaces the slots with a paged block pool.
#pragma once

#include <cstdint>
#include <memory>

#include "core/result.h"
#include "model/hparams.h"

namespace inhouse::model {

class KvCache {
public:
    // Bytes one token occupies across all layers (keys and values).
    static std::uint64_t bytes_per_token(const HParams& hparams);
    static Result<KvCache> create(const HParams& hparams, std::int64_t n_ctx, std::int64_t n_seqs);

    std::int64_t n_ctx() const { return n_ctx_; }
    std::int64_t n_seqs() const { return n_seqs_; }

    // [k_dim] keys of one token of one sequence in one layer.
    float* keys(std::int64_t layer, std::int64_t seq, std::int64_t pos) {
        return k_.get() + offset(layer, seq, pos) * k_dim_;
    }
    const float* keys(std::int64_t layer, std::int64_t seq, std::int64_t pos) const {
        return k_.get() + offset(layer, seq, pos) * k_dim_;
    }
    // [v_dim] values of one token.
    float* values(std::int64_t layer, std::int64_t seq, std::int64_t pos) {
        return v_.get() + offset(layer, seq, pos) * v_dim_;
    }
    const float* values(std::int64_t layer, std::int64_t seq, std::int64_t pos) const {
        return v_.get() + offset(layer, seq, pos) * v_dim_;
    }

private:
    KvCache() = default;
    std::size_t offset(std::int64_t layer, std::int64_t seq, std::int64_t pos) const {
        return static_cast<std::size_t>((layer * n_seqs_ + seq) * n_ctx_ + pos);
    }

    std::int64_t n_layers_ = 0;
    std::int64_t n_seqs_ = 0;
    std::int64_t n_ctx_ = 0;
    std::int64_t k_dim_ = 0;
    std::int64_t v_dim_ = 0;
    // Left uninitialized: pages are touched only as positions fill.
    std::unique_ptr<float[]> k_;  // [n_layers, n_seqs, n_ctx, k_dim]
    std::unique_ptr<float[]> v_;  // [n_layers, n_seqs, n_ctx, v_dim]
};

}  // namespace inhouse::model
