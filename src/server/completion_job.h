// One completion request in flight: submits its n engine requests, gathers their tokens (posted
// from the scheduler's thread onto the connection's executor) and writes either one JSON
// response or a stream of server-sent events through the connection's ResponseSink.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/api_routes.h"
#include "server/openai_response.h"

namespace inhouse::server {

// The connection side of a job; every call comes on the connection's executor.
class ResponseSink {
public:
    virtual ~ResponseSink() = default;
    virtual void send_reply(HttpReply reply) = 0;
    // Starts a 200 text/event-stream response with chunked transfer encoding.
    virtual void start_event_stream() = 0;
    virtual void send_event(std::string event) = 0;
    virtual void end_event_stream() = 0;
    // The job has written everything it will write.
    virtual void job_finished() = 0;
};

class CompletionJob : public std::enable_shared_from_this<CompletionJob> {
public:
    // `client`: the peer's address, for the usage row and the audit log.
    CompletionJob(ServerState& state, GenerationSpec spec, std::shared_ptr<ResponseSink> sink,
                  boost::asio::any_io_executor executor, std::string client);
    ~CompletionJob();

    // Submits every choice. On an error nothing has been written; requests already submitted
    // are cancelled and the caller replies with the error.
    std::optional<ApiError> start();
    // The client is gone: cancel the engine requests and write nothing more.
    void cancel();

private:
    using Clock = std::chrono::steady_clock;

    struct Choice {
        engine::RequestId id = 0;
        ChoiceOutput output;                      // text so far; logprobs not yet sent when streaming
        std::optional<engine::CompletionSummary> summary;
        std::optional<Clock::time_point> last_token_time;
        std::size_t n_text_bytes = 0;             // released so far: the legacy text_offset
        std::int64_t n_tokens_seen = 0;           // token events so far (usage until the summary says)
    };

    void on_token(int index, engine::TokenEvent&& event);
    void on_finish(int index, engine::CompletionSummary&& summary);
    void append_text(Choice& choice, const std::string& text);
    void complete();
    void complete_streaming(const Usage& usage, bool cancelled);
    engine::CompletionCallbacks callbacks_for(int index);
    TokenLogprobInfo logprob_info(const engine::TokenEvent& event, std::size_t text_offset) const;
    // The request's usage row and audit line, once, however it ended.
    void account(access::Outcome outcome, int http_status);
    std::int64_t completion_tokens() const;
    // The completion time limit ran out: the choices end as if max_tokens were reached.
    void on_time_limit();

    ServerState& state_;
    GenerationSpec spec_;
    std::shared_ptr<ResponseSink> sink_;
    boost::asio::any_io_executor executor_;
    ResponseIdentity identity_;
    std::vector<Choice> choices_;    // [n]
    int n_submitted_ = 0;
    int n_finished_ = 0;
    bool failed_to_start_ = false;   // start() returned an error: write nothing
    bool client_gone_ = false;
    bool counted_active_ = false;
    Clock::time_point start_time_;
    std::string client_;
    std::string audit_output_;             // the generated text, when the audit log keeps content
    bool accounted_ = false;
    boost::asio::steady_timer time_limit_;
    bool timed_out_ = false;
};

}  // namespace inhouse::server
