// `inhouse serve`'s HTTP server: an acceptor and one I/O thread (generation runs on the
// scheduler's thread, so a thread here only moves bytes). run() serves until SIGINT or SIGTERM,
// then stops accepting, lets in-flight completions finish within the shutdown timeout, and
// returns.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/result.h"
#include "server/server_state.h"

namespace inhouse::server {

class HttpServer {
public:
    // Binds and listens (an error names the address). `model` must outlive the server.
    static Result<std::unique_ptr<HttpServer>> create(const ServerConfig& config, const ServedModel& model);

    // The bound port: config.port, or the one the system picked for port 0.
    std::uint16_t port() const { return port_; }

    // Serves until a signal (or stop()) and the drain that follows; /health answers at once,
    // /ready and completions 503 until attach_model(). Before destroying the server, destroy
    // the scheduler (its completion callbacks post to this server's executor).
    void run();
    // Thread-safe: the model has loaded; requests are admitted from now on.
    void attach_model(engine::Scheduler& scheduler, const tokenizer::Tokenizer& tokenizer,
                      const engine::ChatFormat* chat_format);
    // Thread-safe: begins the same graceful shutdown as a signal.
    void stop();

private:
    HttpServer(const ServerConfig& config, const ServedModel& model);
    Status listen();
    void accept();
    void refuse_connection(boost::asio::ip::tcp::socket socket);
    void start_session(boost::asio::ip::tcp::socket socket);
    Status load_tls();
    void begin_shutdown();
    void wait_for_jobs(std::chrono::steady_clock::time_point deadline);

    // state_ is declared first so that it outlives the handlers the io_context destroys.
    ServerState state_;
    boost::asio::io_context io_context_{1};
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::signal_set signals_;
    boost::asio::steady_timer drain_timer_;
    boost::asio::steady_timer accept_retry_timer_;
    std::optional<boost::asio::ssl::context> tls_;  // set: connections speak HTTPS
    std::uint16_t port_ = 0;
    bool cut_off_ = false;  // the shutdown's grace period ran out and requests were cancelled
};

}  // namespace inhouse::server
