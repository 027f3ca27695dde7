// What every connection of one server shares: the served model and its scheduler, the
// configuration, the metrics, and the flags that graceful shutdown flips.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "engine/chat_prompt.h"
#include "server/access_control.h"
#include "engine/scheduler.h"
#include "server/metrics.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::server {

// What one request may ask for and how long a client may take; every limit answers with a 4xx
// naming it (or a closed connection for a client too slow to send its request).
struct RequestLimits {
    std::int64_t max_prompt_tokens = 0;   // 0: the context
    std::int32_t max_tokens = 0;          // per choice; 0: the context. Also the default.
    int max_choices = 8;                  // n
    std::size_t max_stop_strings = 16;
    std::size_t max_stop_string_bytes = 256;
    std::size_t max_logit_bias = 1024;    // entries
    std::size_t max_connections = 1024;   // beyond it a new connection gets 503 and is closed
    std::chrono::seconds header_timeout{10};    // to receive a request's headers, and keep-alive idle
    std::chrono::seconds request_timeout{30};   // to receive a whole request
    std::chrono::seconds completion_timeout{600};  // per completion; then it ends as if max_tokens were reached
};

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: any free port (HttpServer::port() tells which)
    std::size_t max_body_bytes = 1 << 20;
    RequestLimits limits;
    // HTTPS when both are set: PEM certificate (chain) and private key files.
    std::string tls_certificate_file;
    std::string tls_private_key_file;
    std::chrono::seconds shutdown_timeout{30};  // for in-flight completions after SIGINT/SIGTERM
    // Keys and usage, and the audit log; null: no auth, no usage rows, no audit (tests).
    access::AccessDb* access_db = nullptr;
    access::AuditLog* audit_log = nullptr;
};

// The model being served. Everything is borrowed and must outlive the server; the engine
// pointers stay null while the model loads.
struct ServedModel {
    std::string name;           // what clients put in "model"
    std::int64_t created = 0;   // Unix seconds, reported by /v1/models
    engine::Scheduler* scheduler = nullptr;
    const tokenizer::Tokenizer* tokenizer = nullptr;
    const engine::ChatFormat* chat_format = nullptr;  // null: the model has no chat template
};

class ServerState {
public:
    ServerState(ServerConfig config, ServedModel model)
        : config_(std::move(config)),
          model_(std::move(model)),
          access_(config_.access_db, config_.audit_log),
          random_(std::random_device{}()) {}

    const ServerConfig& config() const { return config_; }
    const ServedModel& model() const { return model_; }
    Metrics& metrics() { return metrics_; }
    AccessControl& access() { return access_; }

    // Loading until the model is attached, Ready while requests are admitted, Draining once
    // shutdown began. /ready and the completion endpoints answer 503 outside Ready.
    enum class Phase : std::uint8_t { Loading, Ready, Draining };
    Phase phase() const { return phase_.load(); }
    void set_phase(Phase phase) { phase_.store(phase); }
    bool is_ready() const { return phase() == Phase::Ready; }
    // The loaded model's engine, attached on the I/O thread before the phase becomes Ready.
    void attach_model(engine::Scheduler* scheduler, const tokenizer::Tokenizer* tokenizer,
                      const engine::ChatFormat* chat_format) {
        model_.scheduler = scheduler;
        model_.tokenizer = tokenizer;
        model_.chat_format = chat_format;
    }

    // Open connections (sessions alive), against RequestLimits::max_connections.
    void connection_opened() { ++n_connections_; }
    void connection_closed() { --n_connections_; }
    std::size_t n_connections() const { return n_connections_.load(); }

    // Completions whose engine requests have not all finished; shutdown waits for zero.
    void job_started() { ++n_active_jobs_; }
    void job_ended() { --n_active_jobs_; }
    int n_active_jobs() const { return n_active_jobs_.load(); }

    // "chatcmpl-" + 24 random hex digits, unique enough to correlate logs.
    std::string next_response_id(std::string_view prefix) {
        const std::lock_guard lock(random_mutex_);
        return fmt::format("{}{:016x}{:08x}", prefix, random_(), static_cast<std::uint32_t>(random_()));
    }

private:
    ServerConfig config_;
    ServedModel model_;
    Metrics metrics_;
    AccessControl access_;
    std::atomic<Phase> phase_{Phase::Loading};
    std::atomic<int> n_active_jobs_{0};
    std::atomic<std::size_t> n_connections_{0};
    std::mutex random_mutex_;
    std::mt19937_64 random_;
};

}  // namespace inhouse::server
