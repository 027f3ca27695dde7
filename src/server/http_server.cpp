#include "server/http_server.h"

#include <boost/asio/post.hpp>

#include <csignal>

#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "server/http_session.h"

namespace inhouse::server {

namespace net = boost::asio;
using Tcp = net::ip::tcp;

namespace {

constexpr auto kDrainPollInterval = std::chrono::milliseconds(100);
// After cancelling what still runs at the end of the grace period: time to write the final events.
constexpr auto kCutOffGrace = std::chrono::seconds(3);

}  // namespace

HttpServer::HttpServer(const ServerConfig& config, const ServedModel& model)
    : state_(config, model),
      acceptor_(io_context_),
      signals_(io_context_, SIGINT, SIGTERM),
      drain_timer_(io_context_),
      accept_retry_timer_(io_context_) {}

Result<std::unique_ptr<HttpServer>> HttpServer::create(const ServerConfig& config, const ServedModel& model) {
    std::unique_ptr<HttpServer> server(new HttpServer(config, model));
    INHOUSE_RETURN_IF_ERROR(server->load_tls());
    INHOUSE_RETURN_IF_ERROR(server->listen());
    return server;
}

Status HttpServer::load_tls() {
    const ServerConfig& config = state_.config();
    if (config.tls_certificate_file.empty() && config.tls_private_key_file.empty()) return {};
    if (config.tls_certificate_file.empty() || config.tls_private_key_file.empty()) {
        return make_error(ErrorCode::InvalidArgument, "TLS needs both --tls-cert and --tls-key");
    }
    tls_.emplace(net::ssl::context::tls_server);
    // TLS 1.2 and later only; the server picks the cipher.
    tls_->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                      net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 |
                      net::ssl::context::single_dh_use);
    boost::system::error_code error;
    if (tls_->use_certificate_chain_file(config.tls_certificate_file, error)) {
        return make_error(ErrorCode::InvalidArgument, "cannot use the TLS certificate {}: {}",
                          config.tls_certificate_file, error.message());
    }
    if (tls_->use_private_key_file(config.tls_private_key_file, net::ssl::context::pem, error)) {
        return make_error(ErrorCode::InvalidArgument, "cannot use the TLS private key {}: {}",
                          config.tls_private_key_file, error.message());
    }
    if (SSL_CTX_check_private_key(tls_->native_handle()) != 1) {
        return make_error(ErrorCode::InvalidArgument, "the TLS private key {} does not match the certificate {}",
                          config.tls_private_key_file, config.tls_certificate_file);
    }
    return {};
}

Status HttpServer::listen() {
    const ServerConfig& config = state_.config();
    boost::system::error_code error;
    Tcp::resolver resolver(io_context_);
    const auto endpoints = resolver.resolve(config.host, std::to_string(config.port),
                                            Tcp::resolver::passive | Tcp::resolver::numeric_service, error);
    if (error || endpoints.empty()) {
        return make_error(ErrorCode::InvalidArgument, "cannot resolve host '{}': {}", config.host, error.message());
    }
    const Tcp::endpoint endpoint = endpoints.begin()->endpoint();
    const auto fail = [&](std::string_view step) {
        return make_error(ErrorCode::Io, "{} {}:{}: {}", step, config.host, config.port, error.message());
    };
    if (acceptor_.open(endpoint.protocol(), error)) return fail("opening a socket for");
    if (acceptor_.set_option(Tcp::acceptor::reuse_address(true), error)) return fail("configuring");
    if (acceptor_.bind(endpoint, error)) return fail("binding");
    if (acceptor_.listen(net::socket_base::max_listen_connections, error)) return fail("listening on");
    port_ = acceptor_.local_endpoint(error).port();
    if (error) return fail("reading the bound port of");
    return {};
}

void HttpServer::accept() {
    acceptor_.async_accept(net::make_strand(io_context_), [this](boost::system::error_code error, Tcp::socket socket) {
        if (error) {
            // Closed for shutdown; otherwise a transient failure (no file descriptors left):
            // wait a little rather than spin on it.
            if (error == net::error::operation_aborted || !acceptor_.is_open()) return;
            spdlog::warn("accept failed: {}", error.message());
            accept_retry_timer_.expires_after(std::chrono::milliseconds(100));
            accept_retry_timer_.async_wait([this](boost::system::error_code wait_error) {
                if (!wait_error) accept();
            });
            return;
        }
        if (state_.n_connections() >= state_.config().limits.max_connections) {
            refuse_connection(std::move(socket));
        } else {
            start_session(std::move(socket));
        }
        accept();
    });
}

void HttpServer::start_session(Tcp::socket socket) {
    if (tls_) {
        std::make_shared<HttpsSession>(state_, std::move(socket), *tls_)->start();
    } else {
        std::make_shared<HttpSession>(state_, std::move(socket))->start();
    }
}

// Over the connection limit: a 503 in OpenAI's shape, written at once (a few hundred bytes
// to a fresh socket do not block), then closed.
void HttpServer::refuse_connection(Tcp::socket socket) {
    const std::string body = error_reply(not_ready("Too many open connections; retry shortly")).body;
    const std::string response = fmt::format(
        "HTTP/1.1 503 Service Unavailable\r\nServer: inhouse\r\nContent-Type: application/json\r\n"
        "Content-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{}",
        body.size(), body);
    boost::system::error_code ignored;
    socket.non_blocking(true, ignored);
    socket.send(net::buffer(response), 0, ignored);
    socket.shutdown(Tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    state_.metrics().count_request("other", 503);
}

void HttpServer::attach_model(engine::Scheduler& scheduler, const tokenizer::Tokenizer& tokenizer,
                              const engine::ChatFormat* chat_format) {
    net::post(io_context_, [this, &scheduler, &tokenizer, chat_format] {
        if (state_.phase() != ServerState::Phase::Loading) return;  // shutdown began meanwhile
        state_.attach_model(&scheduler, &tokenizer, chat_format);
        state_.set_phase(ServerState::Phase::Ready);
        spdlog::info("model loaded: accepting requests");
    });
}

void HttpServer::stop() {
    net::post(io_context_, [this] { begin_shutdown(); });
}

void HttpServer::run() {
    signals_.async_wait([this](boost::system::error_code error, int) {
        if (!error) begin_shutdown();
    });
    accept();
    // Handlers do not throw (errors are values); should a library throw anyway, log it and
    // keep serving rather than lose every connection.
    for (;;) {
        try {
            io_context_.run();
            break;
        } catch (const std::exception& failure) {
            spdlog::error("unexpected failure in the I/O loop: {}", failure.what());
        }
    }
}

void HttpServer::begin_shutdown() {
    if (state_.phase() == ServerState::Phase::Draining) return;
    state_.set_phase(ServerState::Phase::Draining);
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (state_.model().scheduler != nullptr) state_.model().scheduler->stop_accepting();
    spdlog::info("shutting down: waiting for {} request(s) in flight", state_.n_active_jobs());
    // A second signal stops at once.
    signals_.async_wait([this](boost::system::error_code error, int) {
        if (!error) io_context_.stop();
    });
    wait_for_jobs(std::chrono::steady_clock::now() + state_.config().shutdown_timeout);
}

void HttpServer::wait_for_jobs(std::chrono::steady_clock::time_point deadline) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline && state_.n_active_jobs() > 0 && !cut_off_) {
        // The grace period is over: end what still runs, so that each stream gets its final
        // event and each request its usage row, then wait briefly for those to be written.
        cut_off_ = true;
        spdlog::warn("shutdown timeout: ending {} request(s) still in flight", state_.n_active_jobs());
        if (state_.model().scheduler != nullptr) state_.model().scheduler->cancel_all();
        wait_for_jobs(now + kCutOffGrace);
        return;
    }
    const bool timed_out = now >= deadline;
    if (state_.n_active_jobs() == 0 || timed_out) {
        if (timed_out) spdlog::warn("shutdown: {} request(s) did not end in time", state_.n_active_jobs());
        // A job ends when its last bytes are queued; one more interval lets them be written.
        drain_timer_.expires_after(kDrainPollInterval);
        drain_timer_.async_wait([this](boost::system::error_code) { io_context_.stop(); });
        return;
    }
    drain_timer_.expires_after(kDrainPollInterval);
    drain_timer_.async_wait([this, deadline](boost::system::error_code error) {
        if (!error) wait_for_jobs(deadline);
    });
}

}  // namespace inhouse::server
