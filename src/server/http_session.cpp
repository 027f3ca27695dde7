#include "server/http_session.h"

#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace inhouse::server {

namespace net = boost::asio;
namespace http = boost::beast::http;

namespace {

constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
// Bytes a client may leave unread before it counts as gone: a stream to a reader that stopped
// must not grow without bound.
constexpr std::size_t kMaxQueuedBytes = 8 * 1024 * 1024;
// Pipelined bytes buffered during a completion beyond which the disconnect watch pauses.
constexpr std::size_t kMaxBufferedBytes = 64 * 1024;
constexpr std::size_t kWatchReadBytes = 4096;
constexpr int kClientClosedRequest = 499;
// How long a refused request's remaining bytes are read and dropped before the connection closes.
constexpr auto kLingerTimeout = std::chrono::seconds(5);

std::string status_line(int status) {
    const auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
    return fmt::format("HTTP/1.1 {} {}\r\nServer: inhouse\r\n", status, std::string_view(reason.data(), reason.size()));
}

std::string serialize_reply(const HttpReply& reply, bool keep_alive) {
    std::string out = status_line(reply.status);
    fmt::format_to(std::back_inserter(out), "Content-Type: {}\r\nContent-Length: {}\r\n", reply.content_type,
                   reply.body.size());
    for (const auto& [name, value] : reply.headers) fmt::format_to(std::back_inserter(out), "{}: {}\r\n", name, value);
    out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    out += reply.body;
    return out;
}

bool is_parse_error(const boost::system::error_code& error) {
    return error.category() == http::make_error_code(http::error::bad_target).category();
}

}  // namespace

template <class Stream>
template <class... StreamArgs>
BasicHttpSession<Stream>::BasicHttpSession(ServerState& state, StreamArgs&&... stream_args)
    : stream_(std::forward<StreamArgs>(stream_args)...), timer_(stream_.get_executor()), state_(state) {
    state_.connection_opened();
    ErrorCode error;
    const auto peer = socket().remote_endpoint(error);
    client_ = error ? "unknown" : fmt::format("{}:{}", peer.address().to_string(), peer.port());
}

template <class Stream>
BasicHttpSession<Stream>::~BasicHttpSession() {
    state_.connection_closed();
}

template <class Stream>
void BasicHttpSession<Stream>::start() {
    if constexpr (kTls) {
        // The handshake counts against the header timeout: a client that stalls in it is cut off.
        arm_timeout(state_.config().limits.header_timeout);
        stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](ErrorCode error) {
            self->timer_.cancel();
            if (error || self->closed_) {
                if (error) spdlog::debug("TLS handshake with {} failed: {}", self->client_, error.message());
                self->close();
                return;
            }
            self->read_request();
        });
    } else {
        read_request();
    }
}

template <class Stream>
void BasicHttpSession<Stream>::read_request() {
    response_complete_ = false;
    counted_ = false;
    principal_ = {};
    audit_body_.reset();
    request_start_ = std::chrono::steady_clock::now();
    parser_.emplace();
    parser_->body_limit(state_.config().max_body_bytes);
    parser_->header_limit(kMaxHeaderBytes);
    // Headers within the header timeout (also the keep-alive idle time), the whole request
    // within the request timeout: a client dribbling bytes is cut off either way.
    arm_timeout(state_.config().limits.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](ErrorCode error, std::size_t) {
        self->on_header_read(error);
    });
}

template <class Stream>
void BasicHttpSession<Stream>::on_header_read(ErrorCode error) {
    timer_.cancel();
    if (closed_) return;
    if (error || parser_->is_done()) {
        on_request_read(error);
        return;
    }
    arm_timeout(state_.config().limits.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](ErrorCode read_error, std::size_t) { self->on_request_read(read_error); });
}

template <class Stream>
void BasicHttpSession<Stream>::arm_timeout(std::chrono::seconds timeout) {
    timer_.expires_after(timeout);
    timer_.async_wait([self = this->shared_from_this()](ErrorCode error) {
        if (!error) self->close();
    });
}

template <class Stream>
void BasicHttpSession<Stream>::on_request_read(ErrorCode error) {
    timer_.cancel();
    if (closed_) return;
    if (!error) {
        handle_request();
        return;
    }
    // A request too large or malformed still gets its 4xx, then the connection closes: the rest
    // of its bytes cannot be framed.
    keep_alive_ = false;
    unread_input_ = true;
    if (error == http::error::body_limit) {
        const auto target = parser_->get().target();
        const std::string_view path(target.data(), target.size());
        endpoint_ = std::string(endpoint_label(path.substr(0, path.find('?'))));
        send_reply(error_reply(body_too_large(state_.config().max_body_bytes)));
    } else if (error == http::error::header_limit) {
        endpoint_ = "other";
        send_reply(error_reply(invalid_request(fmt::format("The request header exceeds {} bytes", kMaxHeaderBytes))));
    } else if (is_parse_error(error) && error != http::error::end_of_stream && error != http::error::partial_message) {
        endpoint_ = "other";
        send_reply(error_reply(invalid_request(fmt::format("Malformed HTTP request: {}", error.message()))));
    } else {
        close();
    }
}

template <class Stream>
void BasicHttpSession<Stream>::handle_request() {
    auto request = parser_->release();
    http_version_ = request.version();
    keep_alive_ = request.keep_alive() && state_.phase() != ServerState::Phase::Draining;
    const std::string_view target(request.target().data(), request.target().size());
    const std::string_view method(request.method_string().data(), request.method_string().size());
    const std::string_view path = target.substr(0, target.find('?'));
    endpoint_ = std::string(endpoint_label(path));
    request_start_ = std::chrono::steady_clock::now();
    if (state_.access().logs_content()) audit_body_ = request.body();
    if (path == "/health" || path == "/ready") {
        if (auto refused = AccessControl::refuse_credentials_in_url(target)) {
            send_reply(error_reply(*refused));
            return;
        }
    } else {
        const auto authorization = request[http::field::authorization];
        auto authenticated = state_.access().authenticate(target, {authorization.data(), authorization.size()});
        if (auto* refused = std::get_if<ApiError>(&authenticated)) {
            send_reply(error_reply(*refused));
            return;
        }
        principal_ = std::get<Principal>(std::move(authenticated));
    }
    RouteResult result = HttpReply{};
    try {
        result = route_request(state_, method, target, request.body(), principal_);
    } catch (const std::exception& failure) {
        // Our code does not throw; this keeps a library's surprise from killing the server.
        spdlog::error("{} {}: unexpected failure: {}", method, path, failure.what());  // never the query: it may hold a key
        result = error_reply(internal_error("The server failed to handle the request"));
    }
    if (auto* reply = std::get_if<HttpReply>(&result)) {
        send_reply(std::move(*reply));
    } else {
        start_job(std::move(std::get<GenerationSpec>(result)));
    }
}

template <class Stream>
void BasicHttpSession<Stream>::start_job(GenerationSpec spec) {
    // Admitted with a ticket: if the job cannot start, this session accounts for the request.
    principal_ = spec.principal;
    auto job = std::make_shared<CompletionJob>(state_, std::move(spec), this->shared_from_this(), stream_.get_executor(),
                                               client_);
    if (auto error = job->start()) {
        send_reply(error_reply(*error));
        return;
    }
    job_ = std::move(job);
    watch_for_disconnect();
}

template <class Stream>
void BasicHttpSession<Stream>::account_reply(int status) {
    const auto latency = std::chrono::steady_clock::now() - request_start_;
    const access::Outcome outcome = status < 400   ? access::Outcome::Completed
                                    : status < 500 ? access::Outcome::Refused
                                                   : access::Outcome::Error;
    state_.access().finish(principal_,
                           RequestRecord{.endpoint = endpoint_,
                                         .client = client_,
                                         .model = state_.model().name,
                                         .http_status = status,
                                         .outcome = outcome,
                                         .prompt_tokens = 0,
                                         .completion_tokens = 0,
                                         .latency_ms = std::chrono::duration_cast<std::chrono::milliseconds>(latency).count(),
                                         .request_body = std::move(audit_body_),
                                         .output_text = std::nullopt});
    principal_ = {};
}

template <class Stream>
void BasicHttpSession<Stream>::send_reply(HttpReply reply) {
    if (closed_) return;
    if (!job_) account_reply(reply.status);
    state_.metrics().count_request(endpoint_, reply.status);
    counted_ = true;
    response_complete_ = true;
    enqueue(serialize_reply(reply, keep_alive_));
}

template <class Stream>
void BasicHttpSession<Stream>::start_event_stream() {
    if (closed_) return;
    state_.metrics().count_request(endpoint_, 200);
    counted_ = true;
    // HTTP/1.0 has no chunked encoding: the stream ends when the connection closes.
    if (http_version_ < 11) keep_alive_ = false;
    std::string header = status_line(200);
    header += "Content-Type: text/event-stream\r\nCache-Control: no-cache\r\n";
    header += http_version_ < 11 ? "Connection: close\r\n\r\n" : "Transfer-Encoding: chunked\r\n\r\n";
    enqueue(std::move(header));
}

template <class Stream>
void BasicHttpSession<Stream>::send_event(std::string event) {
    if (http_version_ < 11) {
        enqueue(std::move(event));
    } else {
        enqueue(fmt::format("{:x}\r\n{}\r\n", event.size(), event));
    }
}

template <class Stream>
void BasicHttpSession<Stream>::end_event_stream() {
    response_complete_ = true;
    if (http_version_ >= 11) enqueue("0\r\n\r\n");
}

template <class Stream>
void BasicHttpSession<Stream>::job_finished() {
    job_.reset();
    if (!closed_ && response_complete_ && !writing_ && write_queue_.empty()) after_response();
}

template <class Stream>
void BasicHttpSession<Stream>::enqueue(std::string data) {
    if (closed_) return;
    if (n_queued_bytes_ + data.size() > kMaxQueuedBytes) {
        spdlog::warn("closing a connection that stopped reading ({} bytes queued)", n_queued_bytes_);
        close();
        return;
    }
    n_queued_bytes_ += data.size();
    write_queue_.push_back(std::move(data));
    if (!writing_) write_next();
}

template <class Stream>
void BasicHttpSession<Stream>::write_next() {
    writing_ = true;
    net::async_write(stream_, net::buffer(write_queue_.front()),
                     [self = this->shared_from_this()](ErrorCode error, std::size_t) { self->on_write(error); });
}

template <class Stream>
void BasicHttpSession<Stream>::on_write(ErrorCode error) {
    writing_ = false;
    if (closed_) return;
    if (error) {
        close();
        return;
    }
    n_queued_bytes_ -= write_queue_.front().size();
    write_queue_.pop_front();
    if (!write_queue_.empty()) {
        write_next();
    } else if (response_complete_ && !job_) {
        after_response();
    }
}

template <class Stream>
void BasicHttpSession<Stream>::after_response() {
    // Close only what the response announced as closing: a drain that began after a keep-alive
    // response was written must not drop the connection under the client's next request (it
    // gets its 503 and "Connection: close" instead).
    if (!keep_alive_) {
        if (unread_input_ && !watching_) {
            linger_close();
        } else {
            close();
        }
    } else if (watching_) {
        // The next request may already sit in buffer_, so the watch read must not wait for more
        // bytes: cancel it (no write is pending now) and read the request when it completes.
        read_after_watch_ = true;
        ErrorCode ignored;
        socket().cancel(ignored);
    } else {
        read_request();
    }
}

template <class Stream>
void BasicHttpSession<Stream>::watch_for_disconnect() {
    if (closed_ || watching_ || buffer_.size() > kMaxBufferedBytes) return;
    watching_ = true;
    stream_.async_read_some(buffer_.prepare(kWatchReadBytes),
                            [self = this->shared_from_this()](ErrorCode error, std::size_t n_bytes) {
                                self->on_watch_read(error, n_bytes);
                            });
}

template <class Stream>
void BasicHttpSession<Stream>::on_watch_read(ErrorCode error, std::size_t n_bytes) {
    watching_ = false;
    if (closed_) return;
    if (error && !(error == net::error::operation_aborted && read_after_watch_)) {
        close();
        return;
    }
    // Bytes of a pipelined next request: keep them for its parser.
    buffer_.commit(n_bytes);
    if (read_after_watch_) {
        read_after_watch_ = false;
        read_request();
    } else if (job_) {
        watch_for_disconnect();
    }
}

// Closing a socket with unread input resets the connection, and a client still sending its body
// (a 413) would see a broken pipe instead of the reply: stop sending, read the rest and drop it.
template <class Stream>
void BasicHttpSession<Stream>::linger_close() {
    ErrorCode ignored;
    socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    timer_.expires_after(kLingerTimeout);
    timer_.async_wait([self = this->shared_from_this()](ErrorCode error) {
        if (!error) self->close();
    });
    discard_input();
}

template <class Stream>
void BasicHttpSession<Stream>::discard_input() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kWatchReadBytes), [self = this->shared_from_this()](ErrorCode error, std::size_t) {
        if (error || self->closed_) {
            self->close();
        } else {
            self->discard_input();
        }
    });
}

template <class Stream>
void BasicHttpSession<Stream>::close() {
    if (closed_) return;
    closed_ = true;
    if (job_) {
        // nginx's "client closed request": the client left before any response.
        if (!counted_) state_.metrics().count_request(endpoint_, kClientClosedRequest);
        job_->cancel();
        job_.reset();
    }
    timer_.cancel();
    ErrorCode ignored;
    socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
}

template class BasicHttpSession<PlainStream>;
template class BasicHttpSession<TlsStream>;
template BasicHttpSession<PlainStream>::BasicHttpSession(ServerState&, net::ip::tcp::socket&&);
template BasicHttpSession<TlsStream>::BasicHttpSession(ServerState&, net::ip::tcp::socket&&, net::ssl::context&);

}  // namespace inhouse::server
