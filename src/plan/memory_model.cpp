#include "plan/memory_model.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "kernels/quant_table.h"
#include "model/layers/attention.h"

namespace inhouse::plan {

namespace {

struct KvTypeName {
    KvCacheType type;
    std::string_view name;
    double bytes_per_element;
};

// Q8_0: 34 bytes per 32 elements.
constexpr std::array kKvTypes = {KvTypeName{KvCacheType::F32, "f32", 4.0}, KvTypeName{KvCacheType::F16, "f16", 2.0},
                                 KvTypeName{KvCacheType::Q8_0, "q8_0", 34.0 / 32.0}};

// What a running inhouse process holds besides weights, KV cache and buffers, fitted to peak
// RSS measured on SmolLM2 (49k vocabulary, BPE) and Gemma 3 (262k, SentencePiece)
// (BENCHMARKS.md, "Planned against measured memory"): code, libraries and thread stacks...
constexpr std::uint64_t kBaseOverheadBytes = 8ull << 20;
// ...and the tokenizer's tables per vocabulary entry: the piece, its lookup entries, merges.
constexpr std::uint64_t kTokenizerBytesPerToken = 160;

}  // namespace

Result<KvCacheType> parse_kv_cache_type(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const auto& entry : kKvTypes) {
        if (entry.name == lower) return entry.type;
    }
    return make_error(ErrorCode::InvalidArgument, "unknown KV cache type '{}' (one of: f32, f16, q8_0)", name);
}

std::string_view kv_cache_type_name(KvCacheType type) {
    for (const auto& entry : kKvTypes) {
        if (entry.type == type) return entry.name;
    }
    return "?";
}

double kv_cache_bytes_per_element(KvCacheType type) {
    for (const auto& entry : kKvTypes) {
        if (entry.type == type) return entry.bytes_per_element;
    }
    return 4.0;
}

std::uint64_t kv_cache_bytes(const ModelSpec& model, const Deployment& deployment) {
    const double per_position = static_cast<double>(model.n_kv_heads * (model.head_dim_k + model.head_dim_v)) *
                                kv_cache_bytes_per_element(deployment.kv_type);
    double positions = 0;
    for (std::int64_t layer = 0; layer < model.n_layers; ++layer) {
        const bool slides = deployment.sliding_window_cache && model.sliding_window > 0 &&
                            static_cast<std::size_t>(layer) < model.layer_uses_swa.size() &&
                            model.layer_uses_swa[static_cast<std::size_t>(layer)];
        positions += static_cast<double>(slides ? std::min(deployment.n_ctx, model.sliding_window) : deployment.n_ctx);
    }
    return static_cast<std::uint64_t>(positions * per_position * static_cast<double>(deployment.n_parallel));
}

MemoryBreakdown estimate_memory(const ModelSpec& model, const Deployment& deployment) {
    MemoryBreakdown memory;
    memory.weights_bytes = model.weight_bytes();
    memory.kv_cache_bytes = kv_cache_bytes(model, deployment);

    // The forward pass's float buffers for one batch (model/activations.h): the residual
    // stream and its normed copy and block output, q/k/v, attention output, the FFN's two
    // halves; per thread the attention scores; logits for the sequences sampled per step;
    // and the batch quantized to 8 bits for the widest matrix.
    const std::int64_t batch = std::max<std::int64_t>(1, std::min(deployment.n_batch, deployment.n_ctx));
    const std::int64_t q_dim = model.n_heads * model.head_dim_k;
    const std::int64_t kv_dim = model.n_kv_heads * (model.head_dim_k + model.head_dim_v);
    const std::int64_t per_token_floats = 3 * model.n_embd + q_dim + kv_dim + model.n_heads * model.head_dim_v +
                                          2 * model.n_ff;
    const std::int64_t widest = std::max({model.n_embd, model.n_ff, q_dim});
    const std::uint64_t floats = static_cast<std::uint64_t>(batch * per_token_floats) +
                                 static_cast<std::uint64_t>(deployment.n_threads) * model::kMaxScoreRows *
                                     static_cast<std::uint64_t>(deployment.n_ctx) +
                                 static_cast<std::uint64_t>(std::min(batch, deployment.n_parallel) * model.n_vocab);
    memory.compute_buffer_bytes =
        floats * sizeof(float) +
        kernels::row_size_bytes(gguf::TensorType::Q8_0, widest / 32 * 32) * static_cast<std::uint64_t>(batch);

    memory.runtime_overhead_bytes =
        kBaseOverheadBytes + kTokenizerBytesPerToken * static_cast<std::uint64_t>(model.n_vocab);
    return memory;
}

}  // namespace inhouse::plan
