#include "engine/benchmark.h"

#include <algorithm>
#include <chrono>

#include "model/forward.h"
#include "model/layers/attention.h"

namespace inhouse::engine {

namespace {

using Clock = std::chrono::steady_clock;

// Tokens per batch when filling the context to its depth.
constexpr std::int64_t kDepthBatch = 512;

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

// Token ids spread over the vocabulary, the same every run.
std::int32_t token_at(std::int64_t index, std::int64_t n_vocab) {
    return static_cast<std::int32_t>((index * 2654435761LL + 12345) % n_vocab);
}

double run_batch(const model::Model& model, std::span<const model::BatchToken> batch, model::KvCache& cache,
                 model::Activations& activations, ThreadPool& pool) {
    const auto start = Clock::now();
    model::forward(model, batch, cache, activations, pool);
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// n_prompt tokens at positions from `first` on, in one batch.
double prefill_seconds(const model::Model& model, std::int64_t n_prompt, model::KvCache& cache,
                       model::Activations& activations, ThreadPool& pool, std::int64_t first = 0) {
    std::vector<model::BatchToken> batch;
    for (std::int64_t i = 0; i < n_prompt; ++i) {
        batch.push_back({.token = token_at(first + i, model.hparams().n_vocab), .pos = first + i, .seq = 0,
                         .wants_logits = i + 1 == n_prompt});
    }
    return run_batch(model, batch, cache, activations, pool);
}

// Positions [0, n_depth) of the cache, in batches of at most `batch` tokens.
void fill_depth(const model::Model& model, std::int64_t n_depth, std::int64_t batch, model::KvCache& cache,
                model::Activations& activations, ThreadPool& pool) {
    for (std::int64_t first = 0; first < n_depth; first += batch) {
        prefill_seconds(model, std::min(batch, n_depth - first), cache, activations, pool, first);
    }
}

double decode_seconds(const model::Model& model, std::int64_t n_generate, model::KvCache& cache,
                      model::Activations& activations, ThreadPool& pool, std::int64_t first = 0) {
    double total = 0;
    for (std::int64_t i = 0; i < n_generate; ++i) {
        const model::BatchToken token{.token = token_at(i + 7, model.hparams().n_vocab), .pos = first + i, .seq = 0,
                                      .wants_logits = true};
        total += run_batch(model, {&token, 1}, cache, activations, pool);
    }
    return total;
}

}  // namespace

WeightTraffic weight_traffic(const model::Model& model) {
    WeightTraffic result;
    const auto add = [&](const kernels::TensorView& w) {
        if (w.empty()) return;
        result.bytes_per_token += static_cast<std::uint64_t>(w.n_rows) * w.row_size_bytes;
        result.macs_per_token += static_cast<double>(w.n_rows) * static_cast<double>(w.n_cols);
    };
    for (const auto& layer : model.weights().layers) {
        for (const auto* w : {&layer.attn_q, &layer.attn_k, &layer.attn_v, &layer.attn_output, &layer.ffn_gate,
                              &layer.ffn_up, &layer.ffn_down}) {
            add(*w);
        }
    }
    add(model.weights().output);
    result.bytes_per_token += model.weights().token_embd.row_size_bytes;
    return result;
}

std::uint64_t kv_cache_bytes_read(const model::HParams& h, model::KvCacheType type, std::int64_t pos) {
    const std::uint64_t per_position = model::KvCache::bytes_per_token(h, type) / static_cast<std::uint64_t>(h.n_layers);
    std::uint64_t bytes = 0;
    for (std::int64_t layer = 0; layer < h.n_layers; ++layer) {
        const bool swa = h.layer_uses_swa[static_cast<std::size_t>(layer)];
        bytes += per_position * static_cast<std::uint64_t>(pos - model::first_attended(h, pos, swa) + 1);
    }
    return bytes;
}

Result<DecodeRoofline> measure_decode_roofline(const model::Model& model, const BenchSettings& settings, ThreadPool& pool,
                                               const kernels::ReadBandwidthProbe& probe) {
    if (settings.n_generate < 1 || settings.repetitions < 1 || settings.n_depth < 0) {
        return make_error(ErrorCode::InvalidArgument,
                          "benchmark: generation length and repetitions must be at least 1, depth at least 0");
    }
    const auto& h = model.hparams();
    const std::int64_t n_ctx = settings.n_depth + settings.n_generate;
    const std::int64_t depth_batch = std::clamp<std::int64_t>(settings.n_depth, 1, kDepthBatch);
    INHOUSE_ASSIGN_OR_RETURN(auto cache, model::KvCache::create(h, n_ctx, 1, settings.kv_type));
    auto activations = model::Activations::create(h, model.weights(), depth_batch, n_ctx, pool.n_threads());
    DecodeRoofline result;
    for (std::int64_t i = 0; i < settings.n_generate; ++i) {
        result.kv_cache_bytes_per_token += static_cast<double>(kv_cache_bytes_read(h, settings.kv_type, settings.n_depth + i));
    }
    result.kv_cache_bytes_per_token /= static_cast<double>(settings.n_generate);
    const double bytes_per_token =
        static_cast<double>(weight_traffic(model).bytes_per_token) + result.kv_cache_bytes_per_token;
    fill_depth(model, settings.n_depth, depth_batch, cache, activations, pool);
    // Warm-up: the new cache and activations are touched here, not in the first timed decode
    // (it had measured half the rate of the others).
    decode_seconds(model, std::min<std::int64_t>(settings.n_generate, 2), cache, activations, pool, settings.n_depth);
    double before = probe.measure(pool);
    for (int rep = 0; rep < settings.repetitions; ++rep) {
        const double seconds = decode_seconds(model, settings.n_generate, cache, activations, pool, settings.n_depth);
        const double after = probe.measure(pool);
        DecodeRoofline::Run run;
        run.tokens_per_second = static_cast<double>(settings.n_generate) / seconds;
        run.read_bytes_per_second = (before + after) / 2;
        run.fraction_of_bound = run.tokens_per_second * bytes_per_token / run.read_bytes_per_second;
        result.runs.push_back(run);
        before = after;
    }
    const auto median_of_runs = [&](double DecodeRoofline::Run::*field) {
        std::vector<double> values;
        for (const auto& run : result.runs) values.push_back(run.*field);
        return median(std::move(values));
    };
    result.median_fraction_of_bound = median_of_runs(&DecodeRoofline::Run::fraction_of_bound);
    result.median_read_bytes_per_second = median_of_runs(&DecodeRoofline::Run::read_bytes_per_second);
    return result;
}

Result<BenchResult> run_benchmark(const model::Model& model, const BenchSettings& settings, ThreadPool& pool) {
    if (settings.n_prompt < 1 || settings.n_generate < 1 || settings.repetitions < 1 || settings.n_depth < 0) {
        return make_error(ErrorCode::InvalidArgument,
                          "benchmark: prompt length, generation length and repetitions must be at least 1, depth at least 0");
    }
    const auto& h = model.hparams();
    const std::int64_t n_ctx =
        std::max(settings.n_depth + std::max(settings.n_prompt, settings.n_generate), settings.n_ctx);
    if (n_ctx > h.n_ctx_train) {
        return make_error(ErrorCode::InvalidArgument, "benchmark: {} tokens exceed the model's training context of {}", n_ctx, h.n_ctx_train);
    }
    INHOUSE_ASSIGN_OR_RETURN(auto cache, model::KvCache::create(h, n_ctx, 1, settings.kv_type));
    const std::int64_t n_batch = std::max(settings.n_prompt, std::min(settings.n_depth, kDepthBatch));
    auto activations = model::Activations::create(h, model.weights(), n_batch, n_ctx, pool.n_threads());
    BenchResult result;
    result.traffic = weight_traffic(model);
    fill_depth(model, settings.n_depth, n_batch, cache, activations, pool);
    // Warm-up: pages of the mapped weights resident, caches and thread pool awake.
    prefill_seconds(model, std::min<std::int64_t>(settings.n_prompt, 16), cache, activations, pool, settings.n_depth);
    decode_seconds(model, 2, cache, activations, pool, settings.n_depth);
    for (int rep = 0; rep < settings.repetitions; ++rep) {
        const double prefill = prefill_seconds(model, settings.n_prompt, cache, activations, pool, settings.n_depth);
        result.prefill_tokens_per_second.push_back(static_cast<double>(settings.n_prompt) / prefill);
        const double decode = decode_seconds(model, settings.n_generate, cache, activations, pool, settings.n_depth);
        result.decode_tokens_per_second.push_back(static_cast<double>(settings.n_generate) / decode);
    }
    result.prefill_median = median(result.prefill_tokens_per_second);
    result.decode_median = median(result.decode_tokens_per_second);
    return result;
}

}  // namespace inhouse::engine
