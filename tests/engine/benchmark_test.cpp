// engine/benchmark.h: what a decoded token reads from the KV cache, which the decode roofline
// adds to the weights past an empty context.
#include "engine/benchmark.h"

#include <gtest/gtest.h>

namespace inhouse::engine {
namespace {

model::HParams gemma_like() {
    model::HParams h;
    h.n_layers = 3;
    h.n_heads = 4;
    h.n_heads_kv = 1;
    h.head_dim_k = 256;
    h.head_dim_v = 256;
    h.sliding_window = 512;
    h.layer_uses_swa = {true, true, false};  // two local layers, one global
    return h;
}

TEST(Benchmark, ATokenReadsEveryPositionItAttendsToInEveryLayer) {
    model::HParams h = gemma_like();
    h.layer_uses_swa = {false, false, false};
    // 512 elements of keys and values per position and layer.
    EXPECT_EQ(kv_cache_bytes_read(h, model::KvCacheType::F32, 0), 3u * 512 * 4);
    EXPECT_EQ(kv_cache_bytes_read(h, model::KvCacheType::F32, 999), 3u * 512 * 4 * 1000);
    EXPECT_EQ(kv_cache_bytes_read(h, model::KvCacheType::F16, 999), 3u * 512 * 2 * 1000);
}

TEST(Benchmark, ASlidingWindowLayerReadsOnlyItsWindow) {
    const model::HParams h = gemma_like();
    EXPECT_EQ(kv_cache_bytes_read(h, model::KvCacheType::F16, 99), 3u * 512 * 2 * 100);
    EXPECT_EQ(kv_cache_bytes_read(h, model::KvCacheType::F16, 2047), (2u * 512 + 2048) * 512 * 2);
}

}  // namespace
}  // namespace inhouse::engine
