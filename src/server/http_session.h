// One HTTP/1.1 connection: reads requests (keep-alive, body limit, read timeout), answers them
// through the router, and runs completion jobs. While a job is in flight a read stays pending
// on the socket, so a client that hangs up cancels its engine requests at once; an idle or
// slow client holds no thread, only this object.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/completion_job.h"
#include "server/server_state.h"

namespace inhouse::server {

using PlainStream = boost::asio::ip::tcp::socket;
using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

// One connection over plain TCP or TLS (the handshake first, then the same HTTP).
template <class Stream>
class BasicHttpSession : public ResponseSink, public std::enable_shared_from_this<BasicHttpSession<Stream>> {
public:
    // `stream_args` construct the stream: the accepted socket, and for TLS the server's context.
    template <class... StreamArgs>
    explicit BasicHttpSession(ServerState& state, StreamArgs&&... stream_args);
    ~BasicHttpSession() override;

    void start();

    void send_reply(HttpReply reply) override;
    void start_event_stream() override;
    void send_event(std::string event) override;
    void end_event_stream() override;
    void job_finished() override;

private:
    using ErrorCode = boost::system::error_code;

    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
    boost::asio::ip::tcp::socket& socket() { return boost::beast::get_lowest_layer(stream_); }

    void read_request();
    void on_header_read(ErrorCode error);
    void on_request_read(ErrorCode error);
    void handle_request();
    void start_job(GenerationSpec spec);
    void enqueue(std::string data);
    void write_next();
    void on_write(ErrorCode error);
    void after_response();
    void watch_for_disconnect();
    void on_watch_read(ErrorCode error, std::size_t n_bytes);
    void arm_timeout(std::chrono::seconds timeout);
    void linger_close();
    void discard_input();
    void close();
    // The end of a request answered without a completion job (the job accounts for its own).
    void account_reply(int status);

    Stream stream_;
    boost::asio::steady_timer timer_;
    ServerState& state_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::string endpoint_;              // the current request's metrics label
    unsigned http_version_ = 11;
    bool keep_alive_ = true;
    bool counted_ = false;              // the current request is in the metrics already
    std::deque<std::string> write_queue_;
    std::size_t n_queued_bytes_ = 0;
    bool writing_ = false;
    bool response_complete_ = false;    // the current response is wholly queued
    bool watching_ = false;             // a disconnect-watch read is pending
    bool read_after_watch_ = false;     // start the next request read when that read completes
    bool closed_ = false;
    bool unread_input_ = false;         // a refused request's body may still be arriving
    std::shared_ptr<CompletionJob> job_;
    std::string client_;                // "address:port", for the audit log
    Principal principal_;               // the current request's key
    std::chrono::steady_clock::time_point request_start_;
    std::optional<std::string> audit_body_;  // the current request, when the audit log keeps content
};

using HttpSession = BasicHttpSession<PlainStream>;
using HttpsSession = BasicHttpSession<TlsStream>;

}  // namespace inhouse::server
