// Generation for one sequence at a time, for `inhouse run` and `inhouse chat`: prefill in
// batches, sample, stream text that holds only whole UTF-8 characters and stops before any stop
// string. Tokens already in the cache are reused when a new prompt starts with them (the
// earlier turns of a chat). The server's scheduler (issue #6) serves many sequences instead.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/thread_pool.h"
#include "model/activations.h"
#include "model/forward.h"
#include "model/kv_cache.h"
#include "model/model.h"
#include "sampling/sampling_params.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::engine {

using tokenizer::TokenId;

struct GeneratorSettings {
    std::int64_t n_ctx = 0;  // 0: the model's training context, capped by memory
    int n_threads = 0;       // 0: every core
    std::int64_t n_batch = 256;
    model::KvCacheType kv_type = model::KvCacheType::F16;
};

enum class FinishReason { Stop, Length, Cancelled };

struct GenerationStats {
    std::int64_t n_prompt_tokens = 0;  // processed this call (cached ones excluded)
    std::int64_t n_cached_tokens = 0;  // reused from the cache
    std::int64_t n_generated_tokens = 0;
    double prompt_seconds = 0;
    double generation_seconds = 0;
    FinishReason finish_reason = FinishReason::Stop;
};

// Context length when none is asked for: 4096 (llama.cpp's default too) or the training
// context if shorter, capped so the KV cache takes at most half of the memory available now,
// in multiples of 256. The whole cache is committed when it is created, so a long default
// would take memory nobody asked for; -c/--ctx goes up to the training context.
inline constexpr std::int64_t kDefaultContextLength = 4096;
std::int64_t default_context_length(const model::HParams& hparams, model::KvCacheType kv_type);

class TextGenerator {
public:
    static Result<std::unique_ptr<TextGenerator>> create(const model::Model& model,
                                                         const tokenizer::Tokenizer& tokenizer,
                                                         const GeneratorSettings& settings);

    std::int64_t n_ctx() const { return cache_.n_ctx(); }
    int n_threads() const { return pool_.n_threads(); }

    // Continues from `prompt` (which may start with tokens already processed) and streams the
    // generated text to `on_text`. A prompt that does not fit the context with room for one
    // generated token is an error, never truncated. `cancel` (may be null) stops generation at
    // the next token.
    Result<GenerationStats> generate(std::span<const TokenId> prompt, const sampling::SamplingParams& params,
                                     const std::function<void(std::string_view)>& on_text,
                                     const std::atomic<bool>* cancel = nullptr);

private:
    TextGenerator(const model::Model& model, const tokenizer::Tokenizer& tokenizer, model::KvCache cache,
                  int n_threads, std::int64_t n_batch);
    // Runs tokens through the model from position `tokens_.size()` on; returns the last logits.
    std::span<const float> append(std::span<const TokenId> tokens);

    const model::Model& model_;
    const tokenizer::Tokenizer& tokenizer_;
    model::KvCache cache_;
    ThreadPool pool_;
    std::int64_t n_batch_;
    model::Activations activations_;
    std::vector<model::BatchToken> batch_;
    std::vector<TokenId> tokens_;  // what the cache holds, in order
    std::vector<float> logits_;    // [n_vocab] of the last token
};

}  // namespace inhouse::engine
