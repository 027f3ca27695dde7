#include "server/completion_job.h"

#include <boost/asio/post.hpp>

namespace inhouse::server {

namespace {

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

sampling::FinishReason finish_reason(engine::CompletionEnd end) {
    return end == engine::CompletionEnd::Length ? sampling::FinishReason::Length : sampling::FinishReason::Stop;
}

std::int64_t unix_seconds_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

CompletionJob::CompletionJob(ServerState& state, GenerationSpec spec, std::shared_ptr<ResponseSink> sink,
                             boost::asio::any_io_executor executor, std::string client)
    : state_(state),
      spec_(std::move(spec)),
      sink_(std::move(sink)),
      executor_(std::move(executor)),
      client_(std::move(client)),
      time_limit_(executor_) {
    const bool is_chat = spec_.kind == CompletionKind::Chat;
    identity_ = ResponseIdentity{.id = state_.next_response_id(is_chat ? "chatcmpl-" : "cmpl-"),
                                 .created = unix_seconds_now(),
                                 .model = state_.model().name};
    choices_.resize(static_cast<std::size_t>(spec_.options.n));
    for (std::size_t index = 0; index < choices_.size(); ++index) {
        choices_[index].output.index = static_cast<int>(index);
        if (spec_.options.params.logprobs) choices_[index].output.logprobs.emplace();
    }
}

CompletionJob::~CompletionJob() {
    // Still running when the server stopped waiting (shutdown timeout): account for what was sent.
    if (n_submitted_ > 0 && !failed_to_start_) {
        account(access::Outcome::Shutdown, spec_.options.stream ? 200 : 503);
    }
    if (counted_active_) state_.job_ended();
}

// What the response's usage reports: each finished choice's generated tokens (the end-of-
// sequence token included), the token events seen so far for one that never finished.
std::int64_t CompletionJob::completion_tokens() const {
    std::int64_t total = 0;
    for (const Choice& choice : choices_) total += choice.summary ? choice.summary->n_generated_tokens : choice.n_tokens_seen;
    return total;
}

void CompletionJob::account(access::Outcome outcome, int http_status) {
    if (accounted_) return;
    accounted_ = true;
    const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_time_).count();
    state_.access().finish(
        spec_.principal,
        RequestRecord{.endpoint = spec_.kind == CompletionKind::Chat ? "/v1/chat/completions" : "/v1/completions",
                      .client = client_,
                      .model = state_.model().name,
                      .http_status = http_status,
                      .outcome = outcome,
                      .prompt_tokens = static_cast<std::int64_t>(spec_.prompt.size()),
                      .completion_tokens = completion_tokens(),
                      .latency_ms = latency,
                      .request_body = spec_.audit_body,
                      .output_text = state_.access().logs_content() ? std::optional<std::string>(audit_output_)
                                                                    : std::nullopt});
}

engine::CompletionCallbacks CompletionJob::callbacks_for(int index) {
    // The scheduler's thread only posts: all job state is touched on the connection's executor.
    auto self = shared_from_this();
    auto executor = executor_;
    return engine::CompletionCallbacks{
        .on_token =
            [self, executor, index](engine::TokenEvent&& event) {
                boost::asio::post(executor, [self, index, event = std::move(event)]() mutable {
                    self->on_token(index, std::move(event));
                });
            },
        .on_finish =
            [self, executor, index](engine::CompletionSummary&& summary) {
                boost::asio::post(executor, [self, index, summary = std::move(summary)]() mutable {
                    self->on_finish(index, std::move(summary));
                });
            },
    };
}

std::optional<ApiError> CompletionJob::start() {
    start_time_ = Clock::now();
    state_.job_started();
    counted_active_ = true;
    for (int index = 0; index < spec_.options.n; ++index) {
        sampling::SamplingParams params = spec_.options.params;
        // Distinct but reproducible choices when the client fixed the seed.
        if (params.seed) *params.seed += static_cast<std::uint64_t>(index);
        auto id = state_.model().scheduler->submit(spec_.prompt, std::move(params), callbacks_for(index));
        if (!id.ok()) {
            failed_to_start_ = true;
            for (int submitted = 0; submitted < n_submitted_; ++submitted) {
                state_.model().scheduler->cancel(choices_[static_cast<std::size_t>(submitted)].id);
            }
            if (n_submitted_ == 0) {
                counted_active_ = false;
                state_.job_ended();
            }
            sink_.reset();
            return from_engine_error(id.error(), spec_.kind == CompletionKind::Chat ? "messages" : "prompt");
        }
        choices_[static_cast<std::size_t>(index)].id = *id;
        ++n_submitted_;
    }
    const auto limit = state_.config().limits.completion_timeout;
    if (limit.count() > 0) {
        time_limit_.expires_after(limit);
        time_limit_.async_wait([weak = weak_from_this()](boost::system::error_code error) {
            if (auto self = weak.lock(); self && !error) self->on_time_limit();
        });
    }
    if (spec_.options.stream) {
        sink_->start_event_stream();
        if (spec_.kind == CompletionKind::Chat) {
            for (int index = 0; index < spec_.options.n; ++index) sink_->send_event(sse_event(chat_role_chunk(identity_, index)));
        }
    }
    return std::nullopt;
}

void CompletionJob::on_time_limit() {
    if (client_gone_ || n_finished_ == n_submitted_) return;
    timed_out_ = true;
    for (int index = 0; index < n_submitted_; ++index) {
        const Choice& choice = choices_[static_cast<std::size_t>(index)];
        if (!choice.summary) state_.model().scheduler->cancel(choice.id);
    }
}

void CompletionJob::cancel() {
    if (client_gone_) return;
    client_gone_ = true;
    for (int index = 0; index < n_submitted_; ++index) {
        const Choice& choice = choices_[static_cast<std::size_t>(index)];
        if (!choice.summary) state_.model().scheduler->cancel(choice.id);
    }
}

TokenLogprobInfo CompletionJob::logprob_info(const engine::TokenEvent& event, std::size_t text_offset) const {
    const tokenizer::Tokenizer& tokenizer = *state_.model().tokenizer;
    TokenLogprobInfo info{.token = tokenizer.token_to_piece(event.token, /*render_special=*/true),
                          .logprob = event.logprob->logprob,
                          .top = {},
                          .text_offset = text_offset};
    for (const sampling::TokenLogprob& alternative : event.top_logprobs) {
        info.top.push_back({.token = tokenizer.token_to_piece(alternative.id, true), .logprob = alternative.logprob});
    }
    return info;
}

void CompletionJob::on_token(int index, engine::TokenEvent&& event) {
    if (failed_to_start_) return;
    Choice& choice = choices_[static_cast<std::size_t>(index)];
    ++choice.n_tokens_seen;
    if (state_.access().logs_content()) audit_output_ += event.text;
    if (client_gone_) return;
    const Clock::time_point now = Clock::now();
    if (choice.last_token_time) {
        state_.metrics().observe_inter_token_latency(seconds_between(*choice.last_token_time, now));
    } else {
        state_.metrics().observe_time_to_first_token(seconds_between(start_time_, now));
    }
    choice.last_token_time = now;
    if (choice.output.logprobs && event.logprob) {
        choice.output.logprobs->push_back(logprob_info(event, choice.n_text_bytes));
    }
    append_text(choice, event.text);
}

void CompletionJob::append_text(Choice& choice, const std::string& text) {
    choice.n_text_bytes += text.size();
    if (!spec_.options.stream) {
        choice.output.text += text;
        return;
    }
    const bool has_logprobs = choice.output.logprobs && !choice.output.logprobs->empty();
    if (text.empty() && !has_logprobs) return;
    // A token that released no text (part of a character, a possible stop string) sends nothing;
    // its logprobs travel with the next text.
    if (text.empty() && !choice.summary) return;
    if (spec_.kind == CompletionKind::Chat) {
        sink_->send_event(sse_event(chat_content_chunk(identity_, choice.output.index, text, choice.output.logprobs)));
    } else {
        const ChoiceOutput delta{.index = choice.output.index, .text = text, .finish_reason = std::nullopt,
                                 .logprobs = choice.output.logprobs};
        sink_->send_event(sse_event(text_chunk(identity_, delta)));
    }
    if (choice.output.logprobs) choice.output.logprobs->clear();
}

void CompletionJob::on_finish(int index, engine::CompletionSummary&& summary) {
    Choice& choice = choices_[static_cast<std::size_t>(index)];
    ++n_finished_;
    state_.metrics().add_generated_tokens(summary.n_generated_tokens);
    const bool cancelled = summary.end == engine::CompletionEnd::Cancelled;
    // Cut by the time limit: what was generated stands, as if max_tokens had been reached.
    const bool ended_by_time = cancelled && timed_out_;
    choice.summary = std::move(summary);
    if (!failed_to_start_ && !client_gone_ && (!cancelled || ended_by_time)) {
        state_.metrics().observe_request_duration(seconds_between(start_time_, Clock::now()));
        choice.output.finish_reason =
            ended_by_time ? sampling::FinishReason::Length : finish_reason(choice.summary->end);
        append_text(choice, choice.summary->trailing_text);
        if (spec_.options.stream && spec_.kind == CompletionKind::Chat) {
            sink_->send_event(sse_event(chat_finish_chunk(identity_, index, *choice.output.finish_reason)));
        } else if (spec_.options.stream) {
            const ChoiceOutput last{.index = index, .text = "", .finish_reason = choice.output.finish_reason,
                                    .logprobs = std::nullopt};
            sink_->send_event(sse_event(text_chunk(identity_, last)));
        }
    }
    if (n_finished_ < n_submitted_) return;
    time_limit_.cancel();
    state_.metrics().add_prompt_tokens(choices_.front().summary->n_prompt_tokens);
    if (!failed_to_start_ && !client_gone_) complete();
    if (!failed_to_start_) {
        bool shut_down = false;
        for (const Choice& c : choices_) {
            shut_down = shut_down || (c.summary->end == engine::CompletionEnd::Cancelled && !timed_out_);
        }
        if (client_gone_) {
            account(access::Outcome::ClientGone, 499);
        } else if (timed_out_ && !shut_down) {
            account(access::Outcome::Stopped, 200);
        } else if (shut_down) {
            account(access::Outcome::Shutdown, spec_.options.stream ? 200 : 503);
        } else {
            account(access::Outcome::Completed, 200);
        }
    }
    counted_active_ = false;
    state_.job_ended();
    if (sink_) sink_->job_finished();
    sink_.reset();
}

void CompletionJob::complete() {
    Usage usage{.prompt_tokens = static_cast<std::int64_t>(spec_.prompt.size()),
                .completion_tokens = 0,
                .cached_tokens = choices_.front().summary->n_cached_tokens};
    bool cancelled = false;
    for (const Choice& choice : choices_) {
        usage.completion_tokens += choice.summary->n_generated_tokens;
        cancelled = cancelled || (choice.summary->end == engine::CompletionEnd::Cancelled && !timed_out_);
    }
    if (spec_.options.stream) {
        complete_streaming(usage, cancelled);
        return;
    }
    if (cancelled) {
        sink_->send_reply(error_reply(not_ready("The server stopped before the completion finished")));
        return;
    }
    std::vector<ChoiceOutput> outputs;
    for (Choice& choice : choices_) outputs.push_back(std::move(choice.output));
    const bool is_chat = spec_.kind == CompletionKind::Chat;
    sink_->send_reply(json_reply(200, is_chat ? chat_completion_response(identity_, outputs, usage)
                                              : text_completion_response(identity_, outputs, usage)));
}

void CompletionJob::complete_streaming(const Usage& usage, bool cancelled) {
    if (cancelled) {
        // The stream's 200 is already sent: report the failure as an event and end without [DONE].
        sink_->send_event(sse_event(not_ready("The server stopped before the completion finished").to_json()));
    } else {
        if (spec_.options.include_usage) {
            const bool is_chat = spec_.kind == CompletionKind::Chat;
            sink_->send_event(sse_event(usage_chunk(identity_, is_chat ? "chat.completion.chunk" : "text_completion", usage)));
        }
        sink_->send_event(std::string(kSseDone));
    }
    sink_->end_event_stream();
}

}  // namespace inhouse::server
