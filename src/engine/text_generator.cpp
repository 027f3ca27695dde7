#include "engine/text_generator.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "core/system_memory.h"
#include "model/forward.h"
#include "sampling/sampler.h"
#include "sampling/stop_strings.h"
#include "tokenizer/stream_decoder.h"

namespace inhouse::engine {

namespace {

constexpr std::int64_t kContextGranularity = 256;

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::int64_t default_context_length(const model::HParams& h, model::KvCacheType kv_type) {
    const std::uint64_t budget = usable_memory_bytes_or_available() / 2;
    const auto fits = static_cast<std::int64_t>(budget / model::KvCache::bytes_per_token(h, kv_type));
    const std::int64_t capped = std::min({h.n_ctx_train, kDefaultContextLength, fits});
    return std::max(kContextGranularity, capped / kContextGranularity * kContextGranularity);
}

Result<std::unique_ptr<TextGenerator>> TextGenerator::create(const model::Model& model,
                                                             const tokenizer::Tokenizer& tokenizer,
                                                             const GeneratorSettings& settings) {
    const auto& h = model.hparams();
    const std::int64_t n_ctx = settings.n_ctx > 0 ? settings.n_ctx : default_context_length(h, settings.kv_type);
    if (n_ctx > h.n_ctx_train) {
        return make_error(ErrorCode::InvalidArgument,
                          "context length {} exceeds what the model was trained for ({})", n_ctx, h.n_ctx_train);
    }
    INHOUSE_ASSIGN_OR_RETURN(auto cache, model::KvCache::create(h, n_ctx, 1, settings.kv_type));
    const int n_threads = settings.n_threads > 0 ? settings.n_threads
                                                 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return std::unique_ptr<TextGenerator>(
        new TextGenerator(model, tokenizer, std::move(cache), n_threads, std::max<std::int64_t>(1, settings.n_batch)));
}

TextGenerator::TextGenerator(const model::Model& model, const tokenizer::Tokenizer& tokenizer,
                             model::KvCache cache, int n_threads, std::int64_t n_batch)
    : model_(model),
      tokenizer_(tokenizer),
      cache_(std::move(cache)),
      pool_(n_threads),
      n_batch_(n_batch),
      activations_(model::Activations::create(model.hparams(), model.weights(), n_batch, cache_.n_ctx(), n_threads,
                                            /*n_outputs_max=*/1)),
      logits_(static_cast<std::size_t>(model.hparams().n_vocab)) {
    batch_.reserve(static_cast<std::size_t>(n_batch));
    tokens_.reserve(static_cast<std::size_t>(cache_.n_ctx()));
}

std::span<const float> TextGenerator::append(std::span<const TokenId> tokens) {
    std::span<const float> last;
    for (std::size_t start = 0; start < tokens.size(); start += static_cast<std::size_t>(n_batch_)) {
        const std::size_t end = std::min(tokens.size(), start + static_cast<std::size_t>(n_batch_));
        batch_.clear();
        for (std::size_t i = start; i < end; ++i) {
            batch_.push_back({.token = tokens[i],
                              .pos = static_cast<std::int64_t>(tokens_.size()),
                              .seq = 0,
                              .wants_logits = i + 1 == tokens.size()});
            tokens_.push_back(tokens[i]);
        }
        last = model::forward(model_, batch_, cache_, activations_, pool_);
    }
    return last;
}

Result<GenerationStats> TextGenerator::generate(std::span<const TokenId> prompt,
                                                const sampling::SamplingParams& params,
                                                const std::function<void(std::string_view)>& on_text,
                                                const std::atomic<bool>* cancel) {
    if (prompt.empty()) return make_error(ErrorCode::InvalidArgument, "the prompt is empty");
    if (static_cast<std::int64_t>(prompt.size()) >= cache_.n_ctx()) {
        return make_error(ErrorCode::InvalidArgument,
                          "the prompt has {} tokens, which does not fit the context of {} tokens "
                          "(raise it with -c, up to the model's {})",
                          prompt.size(), cache_.n_ctx(), model_.hparams().n_ctx_train);
    }
    for (const TokenId id : prompt) {
        if (!tokenizer_.vocab().contains(id)) {
            return make_error(ErrorCode::InvalidArgument, "token id {} is outside the vocabulary", id);
        }
    }
    INHOUSE_RETURN_IF_ERROR(sampling::validate(params, static_cast<std::int32_t>(model_.hparams().n_vocab)));
    // Reuse the longest cached prefix, but always recompute the last prompt token for its logits.
    std::size_t n_reused = 0;
    while (n_reused < tokens_.size() && n_reused + 1 < prompt.size() && tokens_[n_reused] == prompt[n_reused]) ++n_reused;
    tokens_.resize(n_reused);

    GenerationStats stats;
    stats.n_cached_tokens = static_cast<std::int64_t>(n_reused);
    stats.n_prompt_tokens = static_cast<std::int64_t>(prompt.size() - n_reused);
    auto start = std::chrono::steady_clock::now();
    auto logits = append(prompt.subspan(n_reused));
    stats.prompt_seconds = seconds_since(start);

    sampling::Sampler sampler(params, static_cast<std::int32_t>(model_.hparams().n_vocab));
    sampling::StopStringMatcher stop(params.stop);
    tokenizer::StreamDecoder decoder;
    const auto& end_ids = params.end_of_generation_ids;
    start = std::chrono::steady_clock::now();
    stats.finish_reason = FinishReason::Length;
    for (;;) {
        if (cancel != nullptr && cancel->load()) {
            stats.finish_reason = FinishReason::Cancelled;
            break;
        }
        if (static_cast<std::int64_t>(tokens_.size()) >= cache_.n_ctx()) break;
        std::copy(logits.begin(), logits.end(), logits_.begin());
        const TokenId next = sampler.sample(logits_, tokens_);
        if (std::find(end_ids.begin(), end_ids.end(), next) != end_ids.end()) {
            stats.finish_reason = FinishReason::Stop;
            break;
        }
        ++stats.n_generated_tokens;
        const std::string text = stop.push(decoder.push(tokenizer_.token_to_piece(next, false)));
        if (!text.empty()) on_text(text);
        if (stop.is_stopped()) {
            stats.finish_reason = FinishReason::Stop;
            break;
        }
        // At the limit, the last token needs no forward pass of its own.
        if (params.max_tokens && stats.n_generated_tokens >= *params.max_tokens) break;
        logits = append(std::span(&next, 1));
    }
    const std::string rest = stop.push(decoder.finish());
    if (!rest.empty()) on_text(rest);
    if (const std::string held = stop.finish(); !held.empty()) on_text(held);
    stats.generation_seconds = seconds_since(start);
    return stats;
}

}  // namespace inhouse::engine
