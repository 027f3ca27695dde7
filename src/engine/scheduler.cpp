#include "engine/scheduler.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <utility>

#include "core/check.h"
#include "core/system_memory.h"
#include "core/thread_pool.h"
#include "engine/block_pool.h"
#include "engine/text_generator.h"
#include "model/activations.h"
#include "model/forward.h"
#include "model/kv_cache.h"
#include "sampling/json_prefix.h"
#include "sampling/sampler.h"
#include "sampling/stop_strings.h"
#include "tokenizer/stream_decoder.h"

namespace inhouse::engine {

namespace {

using model::KvCache;
using tokenizer::TokenId;

constexpr std::int32_t kNoSlot = -1;

// Half of the memory available now, at least one full context and at most what n_parallel
// full contexts need.
std::int64_t default_block_count(const model::HParams& h, std::int64_t n_ctx, int n_parallel,
                                 model::KvCacheType kv_type) {
    const std::int64_t per_context = KvCache::blocks_for(n_ctx);
    const std::uint64_t block_bytes = KvCache::bytes_per_token(h, kv_type) * KvCache::kBlockTokens;
    const auto affordable = static_cast<std::int64_t>(usable_memory_bytes_or_available() / 2 / block_bytes);
    return std::max(per_context, std::min(affordable, per_context * n_parallel));
}

}  // namespace

struct Sequence {
    RequestId id = 0;
    std::uint64_t admission = 0;             // order of (re)admission: the youngest is preempted first
    std::vector<TokenId> tokens;             // prompt, then every sampled token
    std::int64_t n_prompt = 0;
    std::int64_t n_computed = 0;             // tokens whose keys and values are in the cache
    std::int64_t n_published = 0;            // leading blocks offered to the prefix cache
    std::int64_t n_cached_prompt = 0;        // prompt tokens found in the prefix cache at first admission
    bool admitted_before = false;
    std::int32_t slot = kNoSlot;
    sampling::SamplingParams params;
    sampling::Sampler sampler;
    sampling::StopStringMatcher stop;
    tokenizer::StreamDecoder decoder;
    std::int64_t n_generated = 0;
    std::optional<sampling::JsonPrefix> json;  // JSON mode: the text so far
    CompletionCallbacks callbacks;

    Sequence(RequestId request, std::vector<TokenId> prompt, sampling::SamplingParams sampling_params,
             std::int32_t n_vocab, CompletionCallbacks callbacks_)
        : id(request),
          tokens(std::move(prompt)),
          n_prompt(static_cast<std::int64_t>(tokens.size())),
          params(std::move(sampling_params)),
          sampler(params, n_vocab),
          stop(params.stop),
          callbacks(std::move(callbacks_)) {
        if (params.json_object) json.emplace();
    }
};

struct Scheduler::State {
    const model::Model& model;
    const tokenizer::Tokenizer& tokenizer;
    SchedulerSettings settings;
    KvCache cache;
    BlockPool pool;
    ThreadPool threads;
    model::Activations activations;
    std::vector<model::BatchToken> batch;
    std::vector<float> logits;  // [n_vocab] scratch for the sampler
    std::vector<std::string> pieces;  // [n_vocab] each token's text, made on JSON mode's first use

    // Shared with submitting threads.
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::unique_ptr<Sequence>> incoming;
    std::unordered_set<RequestId> cancelled;
    bool cancel_everything = false;
    RequestId next_id = 1;
    bool accepting = true;
    bool quit = false;
    SchedulerMetrics published_metrics;

    // The scheduler thread's own.
    std::deque<std::unique_ptr<Sequence>> waiting;
    std::vector<std::unique_ptr<Sequence>> running;  // oldest admission first
    std::vector<std::int32_t> free_slots;
    std::uint64_t admissions = 0;
    SchedulerMetrics counters;
    std::thread thread;

    State(const model::Model& m, const tokenizer::Tokenizer& t, const SchedulerSettings& s, KvCache c)
        : model(m),
          tokenizer(t),
          settings(s),
          cache(std::move(c)),
          pool(static_cast<std::int32_t>(cache.n_blocks()), static_cast<std::int32_t>(KvCache::kBlockTokens)),
          threads(s.n_threads),
          activations(model::Activations::create(m.hparams(), m.weights(), s.n_batch, cache.n_ctx(), s.n_threads,
                                                 s.n_parallel)),
          logits(static_cast<std::size_t>(m.hparams().n_vocab)) {
        batch.reserve(static_cast<std::size_t>(s.n_batch));
        for (std::int32_t slot = s.n_parallel - 1; slot >= 0; --slot) free_slots.push_back(slot);
    }

    void run();
    bool step();
    void take_incoming();
    void admit();
    void release_blocks(Sequence& seq);
    bool ensure_blocks(Sequence& seq, std::int64_t n_positions);
    void preempt(std::size_t index);
    void finish(std::size_t index, CompletionEnd end);
    // Samples the token after a sequence's last computed one; false when the sequence ended.
    bool sample_next(Sequence& seq, std::span<const float> row);
    const std::vector<std::string>& token_pieces();
    static CompletionSummary summary_of(const Sequence& seq, CompletionEnd end);
    void publish_full_blocks(Sequence& seq);
    void refresh_metrics();
};

Result<std::unique_ptr<Scheduler>> Scheduler::create(const model::Model& model, const tokenizer::Tokenizer& tokenizer,
                                                     const SchedulerSettings& requested) {
    const auto& h = model.hparams();
    SchedulerSettings settings = requested;
    if (settings.n_parallel < 1) return make_error(ErrorCode::InvalidArgument, "--parallel must be at least 1");
    if (settings.n_batch < 1) return make_error(ErrorCode::InvalidArgument, "--batch must be at least 1");
    if (settings.n_prefill_while_decoding < 1) {
        return make_error(ErrorCode::InvalidArgument, "--prefill-chunk must be at least 1");
    }
    settings.n_ctx = settings.n_ctx > 0 ? settings.n_ctx : default_context_length(h, settings.kv_type);
    if (settings.n_ctx > h.n_ctx_train) {
        return make_error(ErrorCode::InvalidArgument, "context length {} exceeds what the model was trained for ({})",
                          settings.n_ctx, h.n_ctx_train);
    }
    settings.n_threads = settings.n_threads > 0 ? settings.n_threads
                                                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (settings.n_kv_blocks <= 0) settings.n_kv_blocks = default_block_count(h, settings.n_ctx, settings.n_parallel, settings.kv_type);
    if (settings.n_kv_blocks < KvCache::blocks_for(settings.n_ctx)) {
        return make_error(ErrorCode::InvalidArgument, "{} KV cache blocks cannot hold one context of {} tokens",
                          settings.n_kv_blocks, settings.n_ctx);
    }
    INHOUSE_ASSIGN_OR_RETURN(auto cache,
                             KvCache::create_paged(h, settings.n_ctx, settings.n_parallel, settings.n_kv_blocks, settings.kv_type));
    auto state = std::make_unique<State>(model, tokenizer, settings, std::move(cache));
    State* raw = state.get();
    state->thread = std::thread([raw] { raw->run(); });
    return std::unique_ptr<Scheduler>(new Scheduler(std::move(state), settings.n_ctx));
}

Scheduler::Scheduler(std::unique_ptr<State> state, std::int64_t n_ctx) : state_(std::move(state)), n_ctx_(n_ctx) {}

const model::KvCache& Scheduler::kv_cache() const { return state_->cache; }

Scheduler::~Scheduler() {
    {
        std::lock_guard lock(state_->mutex);
        state_->quit = true;
        state_->accepting = false;
    }
    state_->wake.notify_all();
    state_->thread.join();
}

Result<RequestId> Scheduler::submit(std::vector<TokenId> prompt, sampling::SamplingParams params,
                                    CompletionCallbacks callbacks) {
    State& s = *state_;
    const auto n_vocab = static_cast<std::int32_t>(s.model.hparams().n_vocab);
    if (prompt.empty()) return make_error(ErrorCode::InvalidArgument, "the prompt is empty");
    if (static_cast<std::int64_t>(prompt.size()) >= n_ctx_) {
        return make_error(ErrorCode::InvalidArgument,
                          "the prompt has {} tokens, which leaves no room in the context of {} tokens", prompt.size(),
                          n_ctx_);
    }
    for (const TokenId id : prompt) {
        if (!s.tokenizer.vocab().contains(id)) {
            return make_error(ErrorCode::InvalidArgument, "token id {} is outside the vocabulary", id);
        }
    }
    INHOUSE_RETURN_IF_ERROR(sampling::validate(params, n_vocab));
    std::lock_guard lock(s.mutex);
    if (!s.accepting) return make_error(ErrorCode::ResourceExhausted, "the server is shutting down");
    if (s.incoming.size() + static_cast<std::size_t>(s.published_metrics.waiting) >= s.settings.max_queued) {
        return make_error(ErrorCode::ResourceExhausted, "{} requests are already waiting", s.settings.max_queued);
    }
    const RequestId id = s.next_id++;
    s.incoming.push_back(std::make_unique<Sequence>(id, std::move(prompt), std::move(params), n_vocab,
                                                    std::move(callbacks)));
    ++s.published_metrics.waiting;
    s.wake.notify_all();
    return id;
}

void Scheduler::cancel(RequestId id) {
    {
        std::lock_guard lock(state_->mutex);
        state_->cancelled.insert(id);
    }
    state_->wake.notify_all();
}

void Scheduler::cancel_all() {
    {
        std::lock_guard lock(state_->mutex);
        state_->cancel_everything = true;
    }
    state_->wake.notify_all();
}

void Scheduler::stop_accepting() {
    std::lock_guard lock(state_->mutex);
    state_->accepting = false;
}

SchedulerMetrics Scheduler::metrics() const {
    std::lock_guard lock(state_->mutex);
    return state_->published_metrics;
}

void Scheduler::State::run() {
    for (;;) {
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] {
                return quit || !incoming.empty() || !cancelled.empty() || cancel_everything || !waiting.empty() ||
                       !running.empty();
            });
            if (quit) break;
        }
        take_incoming();
        admit();
        step();
        refresh_metrics();
    }
    take_incoming();
    while (!running.empty()) finish(running.size() - 1, CompletionEnd::Cancelled);
    for (auto& seq : waiting) seq->callbacks.on_finish(summary_of(*seq, CompletionEnd::Cancelled));
    waiting.clear();
}

void Scheduler::State::take_incoming() {
    std::unordered_set<RequestId> to_cancel;
    bool everything = false;
    {
        std::lock_guard lock(mutex);
        while (!incoming.empty()) {
            waiting.push_back(std::move(incoming.front()));
            incoming.pop_front();
        }
        to_cancel.swap(cancelled);
        everything = std::exchange(cancel_everything, false);
    }
    if (to_cancel.empty() && !everything) return;
    for (std::size_t i = running.size(); i-- > 0;) {
        if (everything || to_cancel.contains(running[i]->id)) finish(i, CompletionEnd::Cancelled);
    }
    for (auto it = waiting.begin(); it != waiting.end();) {
        if (everything || to_cancel.contains((*it)->id)) {
            (*it)->callbacks.on_finish(summary_of(**it, CompletionEnd::Cancelled));
            it = waiting.erase(it);
        } else {
            ++it;
        }
    }
}

void Scheduler::State::admit() {
    while (!waiting.empty() && !free_slots.empty()) {
        Sequence& seq = *waiting.front();
        // Reuse whole published blocks, but always compute the last known token (its logits
        // pick the next one).
        const auto reusable = static_cast<std::int64_t>(seq.tokens.size() - 1) / KvCache::kBlockTokens;
        std::vector<std::int32_t> prefix =
            settings.prefix_cache ? pool.acquire_prefix(seq.tokens, reusable) : std::vector<std::int32_t>{};
        const std::int64_t needed = KvCache::blocks_for(static_cast<std::int64_t>(seq.tokens.size()) + 1) -
                                    static_cast<std::int64_t>(prefix.size());
        // Admission by free blocks: the whole known sequence plus one token must fit now,
        // unless nothing else runs (then allocation evicts whatever it must).
        if (!running.empty() && pool.n_available() < needed) {
            for (auto it = prefix.rbegin(); it != prefix.rend(); ++it) pool.release(*it);
            break;
        }
        seq.slot = free_slots.back();
        free_slots.pop_back();
        seq.admission = ++admissions;
        seq.n_computed = static_cast<std::int64_t>(prefix.size()) * KvCache::kBlockTokens;
        seq.n_published = static_cast<std::int64_t>(prefix.size());
        if (!seq.admitted_before) {
            seq.n_cached_prompt = seq.n_computed;
            counters.prompt_tokens_total += static_cast<std::uint64_t>(seq.n_prompt);
            counters.prompt_tokens_cached += static_cast<std::uint64_t>(seq.n_computed);
            seq.admitted_before = true;
        }
        cache.block_table(seq.slot) = std::move(prefix);
        running.push_back(std::move(waiting.front()));
        waiting.pop_front();
    }
}

void Scheduler::State::release_blocks(Sequence& seq) {
    auto& table = cache.block_table(seq.slot);
    // Last block first, so the cache forgets a prefix's tail before its head.
    for (auto it = table.rbegin(); it != table.rend(); ++it) pool.release(*it);
    table.clear();
}

bool Scheduler::State::ensure_blocks(Sequence& seq, std::int64_t n_positions) {
    auto& table = cache.block_table(seq.slot);
    while (static_cast<std::int64_t>(table.size()) < KvCache::blocks_for(n_positions)) {
        const auto block = pool.allocate();
        if (!block) return false;
        table.push_back(*block);
    }
    return true;
}

void Scheduler::State::preempt(std::size_t index) {
    std::unique_ptr<Sequence> seq = std::move(running[index]);
    running.erase(running.begin() + static_cast<std::ptrdiff_t>(index));
    release_blocks(*seq);
    free_slots.push_back(seq->slot);
    seq->slot = kNoSlot;
    seq->n_computed = 0;
    seq->n_published = 0;
    ++counters.preemptions;
    // First in line again: its published blocks are likely still cached when it returns.
    waiting.push_front(std::move(seq));
}

CompletionSummary Scheduler::State::summary_of(const Sequence& seq, CompletionEnd end) {
    return {.end = end,
            .n_prompt_tokens = seq.n_prompt,
            .n_cached_tokens = seq.n_cached_prompt,
            .n_generated_tokens = seq.n_generated,
            .seed = seq.sampler.seed()};
}

void Scheduler::State::finish(std::size_t index, CompletionEnd end) {
    std::unique_ptr<Sequence> seq = std::move(running[index]);
    running.erase(running.begin() + static_cast<std::ptrdiff_t>(index));
    release_blocks(*seq);
    free_slots.push_back(seq->slot);
    CompletionSummary summary = summary_of(*seq, end);
    if (end != CompletionEnd::Cancelled) {
        summary.trailing_text = seq->stop.push(seq->decoder.finish());
        summary.trailing_text += seq->stop.finish();
    }
    seq->callbacks.on_finish(std::move(summary));
}

void Scheduler::State::publish_full_blocks(Sequence& seq) {
    if (!settings.prefix_cache) return;
    const auto& table = cache.block_table(seq.slot);
    const std::int64_t full = seq.n_computed / KvCache::kBlockTokens;
    for (; seq.n_published < full; ++seq.n_published) {
        const std::int64_t i = seq.n_published;
        const auto first = seq.tokens.begin() + static_cast<std::ptrdiff_t>(i * KvCache::kBlockTokens);
        pool.publish(table[static_cast<std::size_t>(i)], i > 0 ? table[static_cast<std::size_t>(i - 1)] : -1,
                     std::span<const TokenId>(&*first, static_cast<std::size_t>(KvCache::kBlockTokens)));
    }
}

namespace {

// JSON mode: every token whose text would leave the JSON object language (or adds no text) is
// ruled out before sampling.
void mask_json(const sampling::JsonPrefix& json, const std::vector<std::string>& pieces, std::span<float> logits) {
    for (std::size_t id = 0; id < logits.size(); ++id) {
        sampling::JsonPrefix next = json;
        if (pieces[id].empty() || !next.feed(pieces[id])) logits[id] = -INFINITY;
    }
}

}  // namespace

const std::vector<std::string>& Scheduler::State::token_pieces() {
    if (pieces.empty()) {
        pieces.reserve(logits.size());
        for (std::size_t id = 0; id < logits.size(); ++id) {
            const auto token = static_cast<TokenId>(id);
            pieces.push_back(tokenizer.vocab().contains(token) ? tokenizer.token_to_piece(token, false) : std::string());
        }
    }
    return pieces;
}

bool Scheduler::State::sample_next(Sequence& seq, std::span<const float> row) {
    std::copy(row.begin(), row.end(), logits.begin());
    if (seq.json) mask_json(*seq.json, token_pieces(), logits);
    const TokenId next = seq.sampler.sample(logits, seq.tokens);
    ++seq.n_generated;
    ++counters.generated_tokens_total;
    const auto& end_ids = seq.params.end_of_generation_ids;
    if (std::find(end_ids.begin(), end_ids.end(), next) != end_ids.end()) return false;
    // Nothing valid was left to sample (the sampler's fallback): end rather than break JSON.
    if (seq.json && !seq.json->feed(pieces[static_cast<std::size_t>(next)])) return false;
    TokenEvent event{.token = next,
                     .text = seq.stop.push(seq.decoder.push(tokenizer.token_to_piece(next, false))),
                     .logprob = std::nullopt,
                     .top_logprobs = {}};
    if (seq.params.logprobs) {
        event.logprob = seq.sampler.sampled_logprob();
        const auto top = seq.sampler.top_logprobs();
        event.top_logprobs.assign(top.begin(), top.end());
    }
    seq.callbacks.on_token(std::move(event));
    // A stop string, or the closing brace of JSON mode's object, ends the completion.
    if (seq.stop.is_stopped() || (seq.json && seq.json->complete())) return false;
    seq.tokens.push_back(next);
    return true;
}

// One forward pass: a decode token for every sequence that has one, then prompt chunks up to
// n_batch tokens; then a token sampled for every sequence whose known tokens are all computed.
bool Scheduler::State::step() {
    if (running.empty()) return false;
    struct Planned {
        Sequence* seq;
        std::int64_t count;
    };
    std::vector<Planned> plan;
    std::int64_t budget = settings.n_batch;
    // Decode tokens first so that streams keep flowing while long prompts are prefilled.
    for (int pass = 0; pass < 2; ++pass) {
        if (pass == 1 && !plan.empty()) budget = std::min(budget, settings.n_prefill_while_decoding);
        for (std::size_t i = 0; i < running.size() && budget > 0; ++i) {
            Sequence& seq = *running[i];
            const std::int64_t pending = static_cast<std::int64_t>(seq.tokens.size()) - seq.n_computed;
            if ((pass == 0) != (pending == 1)) continue;
            const std::int64_t count = std::min(pending, budget);
            bool preempted_self = false;
            while (!ensure_blocks(seq, seq.n_computed + count)) {
                // Out of blocks: the youngest running sequence gives its blocks back.
                const std::size_t victim = running.size() - 1;
                if (running[victim].get() == &seq) {
                    preempt(victim);
                    preempted_self = true;
                    break;
                }
                for (auto it = plan.begin(); it != plan.end(); ++it) {
                    if (it->seq == running[victim].get()) {
                        budget += it->count;
                        plan.erase(it);
                        break;
                    }
                }
                preempt(victim);
            }
            if (preempted_self) break;
            plan.push_back({&seq, count});
            budget -= count;
        }
    }
    batch.clear();
    std::int64_t n_outputs = 0;
    for (const Planned& p : plan) {
        Sequence& seq = *p.seq;
        for (std::int64_t k = 0; k < p.count; ++k) {
            const std::int64_t pos = seq.n_computed + k;
            const bool last = pos + 1 == static_cast<std::int64_t>(seq.tokens.size());
            batch.push_back({.token = seq.tokens[static_cast<std::size_t>(pos)],
                             .pos = pos,
                             .seq = seq.slot,
                             .wants_logits = last});
            n_outputs += last ? 1 : 0;
        }
    }
    if (batch.empty()) return false;
    const std::span<const float> outputs = model::forward(model, batch, cache, activations, threads);
    ++counters.steps;
    counters.last_batch_tokens = static_cast<std::int64_t>(batch.size());
    const auto n_vocab = static_cast<std::size_t>(model.hparams().n_vocab);
    std::size_t output = 0;
    std::vector<std::pair<RequestId, CompletionEnd>> endings;
    for (const Planned& p : plan) {
        Sequence& seq = *p.seq;
        seq.n_computed += p.count;
        publish_full_blocks(seq);
        if (seq.n_computed < static_cast<std::int64_t>(seq.tokens.size())) continue;
        const auto row = outputs.subspan(output++ * n_vocab, n_vocab);
        if (!sample_next(seq, row)) {
            endings.emplace_back(seq.id, CompletionEnd::Stop);
        } else if (seq.params.max_tokens && seq.n_generated >= *seq.params.max_tokens) {
            endings.emplace_back(seq.id, CompletionEnd::Length);
        } else if (static_cast<std::int64_t>(seq.tokens.size()) >= cache.n_ctx()) {
            endings.emplace_back(seq.id, CompletionEnd::Length);  // the context is full
        }
    }
    INHOUSE_CHECK(output == static_cast<std::size_t>(n_outputs), "logit rows and sampled sequences disagree");
    for (const auto& [id, end] : endings) {
        for (std::size_t i = 0; i < running.size(); ++i) {
            if (running[i]->id == id) {
                finish(i, end);
                break;
            }
        }
    }
    return true;
}

void Scheduler::State::refresh_metrics() {
    counters.running = static_cast<std::int64_t>(running.size());
    counters.kv_blocks_total = pool.n_blocks();
    counters.kv_blocks_used = pool.n_in_use();
    counters.kv_blocks_cached = pool.n_cached();
    std::lock_guard lock(mutex);
    counters.waiting = static_cast<std::int64_t>(waiting.size() + incoming.size());
    published_metrics = counters;
}

}  // namespace inhouse::engine
