// The server's engine: many completions at once, continuous (iteration-level) batching. One
// thread runs steps; each step is one forward pass over every running sequence (one decode
// token each) plus chunks of prompts being prefilled, so the weights are read once per step
// for all of them. Sequences join and leave between steps. The KV cache is a pool of
// fixed-size blocks (engine/block_pool.h): a request whose prompt starts with blocks another
// request computed (a system prompt, an earlier turn) reuses them; when blocks run out the
// youngest running sequence is preempted (its blocks freed, its tokens recomputed later).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/kv_cache.h"
#include "model/model.h"
#include "sampling/logprobs.h"
#include "sampling/sampling_params.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::engine {

using RequestId = std::uint64_t;

struct SchedulerSettings {
    std::int64_t n_ctx = 0;       // positions per sequence; 0: the model's, capped by memory
    int n_parallel = 4;           // sequences running at once
    std::int64_t n_batch = 256;   // tokens per forward pass (decode tokens + prefill chunks)
    // Prompt tokens per step while other sequences are generating (at most n_batch). A step's
    // duration is every stream's inter-token gap: smaller chunks give smoother streams but a
    // later first token under a burst of new prompts (BENCHMARKS.md, "Serving under load").
    std::int64_t n_prefill_while_decoding = 256;
    int n_threads = 0;            // 0: every core
    std::int64_t n_kv_blocks = 0; // 0: enough for n_parallel full contexts
    std::size_t max_queued = 64;  // waiting requests beyond which submit() refuses
    bool prefix_cache = true;     // reuse the blocks of earlier prompts' common prefixes
    model::KvCacheType kv_type = model::KvCacheType::F16;
};

// One generated token, as the client sees it.
struct TokenEvent {
    tokenizer::TokenId token = 0;
    // Text that became final with this token: whole UTF-8 characters, with anything that might
    // begin a stop string held back (so it may be empty, and a later event may carry more).
    std::string text = {};
    // With params.logprobs: the token's log-probability and the top_logprobs alternatives.
    std::optional<sampling::TokenLogprob> logprob = std::nullopt;
    std::vector<sampling::TokenLogprob> top_logprobs = {};
};

enum class CompletionEnd { Stop, Length, Cancelled };

struct CompletionSummary {
    CompletionEnd end = CompletionEnd::Stop;
    std::int64_t n_prompt_tokens = 0;     // the whole prompt
    std::int64_t n_cached_tokens = 0;     // of which reused from the prefix cache
    std::int64_t n_generated_tokens = 0;  // counted as OpenAI's usage.completion_tokens
    std::uint64_t seed = 0;               // the sampler's seed (drawn when the request had none)
    std::string trailing_text = {};       // text released at the end (held-back bytes)
};

// Both are called on the scheduler's thread: they must return quickly (post the work to the
// connection's own executor) and must not call back into the scheduler.
struct CompletionCallbacks {
    std::function<void(TokenEvent&&)> on_token;
    std::function<void(CompletionSummary&&)> on_finish;  // exactly once, last
};

// A snapshot for /metrics.
struct SchedulerMetrics {
    std::int64_t waiting = 0;
    std::int64_t running = 0;
    std::int64_t kv_blocks_total = 0;
    std::int64_t kv_blocks_used = 0;  // held by running sequences
    std::int64_t kv_blocks_cached = 0;  // free but still holding a reusable prefix
    std::int64_t last_batch_tokens = 0;
    std::uint64_t steps = 0;
    std::uint64_t prompt_tokens_total = 0;      // prompt tokens of admitted requests
    std::uint64_t prompt_tokens_cached = 0;     // of which found in the prefix cache
    std::uint64_t generated_tokens_total = 0;
    std::uint64_t preemptions = 0;
};

class Scheduler {
public:
    static Result<std::unique_ptr<Scheduler>> create(const model::Model& model, const tokenizer::Tokenizer& tokenizer,
                                                     const SchedulerSettings& settings);
    // Finishes every request (Cancelled) and stops the thread.
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    std::int64_t n_ctx() const { return n_ctx_; }
    // The KV cache, for its size and shape (fixed at creation); its contents belong to the
    // scheduler's thread.
    const model::KvCache& kv_cache() const;

    // Queues a completion of `prompt`. Errors: InvalidArgument (empty prompt, an id outside the
    // vocabulary, a prompt that leaves no room in the context, bad sampling parameters; the
    // message names the field) and ResourceExhausted (the queue is full, or shutting down).
    // params.max_tokens unset means up to the end of the context.
    Result<RequestId> submit(std::vector<tokenizer::TokenId> prompt, sampling::SamplingParams params,
                             CompletionCallbacks callbacks);
    // Thread-safe; a request that is still running finishes with Cancelled at the next step and
    // its blocks are freed. Unknown or finished ids are ignored.
    void cancel(RequestId id);
    // Thread-safe: cancels every request queued or running now (a shutdown's grace period is over).
    void cancel_all();
    // Stops admitting requests; running and queued ones still complete.
    void stop_accepting();
    SchedulerMetrics metrics() const;

private:
    struct State;
    explicit Scheduler(std::unique_ptr<State> state, std::int64_t n_ctx);
    std::unique_ptr<State> state_;
    std::int64_t n_ctx_;
};

}  // namespace inhouse::engine
