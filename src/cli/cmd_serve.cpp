// `inhouse serve -m MODEL`: the OpenAI-compatible HTTP API over one model, with continuous
// batching across requests. Ctrl-C (or SIGTERM) stops accepting, finishes what is in flight
// and exits 0.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include <boost/asio/ip/address.hpp>

#include "access/audit_log.h"
#include "cli/access_database.h"
#include "cli/command.h"
#include "cli/kv_cache_option.h"
#include "cli/model_loading.h"
#include "core/log.h"
#include "engine/chat_prompt.h"
#include "engine/scheduler.h"
#include "server/http_server.h"
#include "server/openai_protocol.h"

namespace inhouse::cli {

namespace {

struct ServeArgs {
    std::string model;
    server::ServerConfig server;
    engine::SchedulerSettings scheduler;
    bool insecure_no_auth = false;
    std::string audit_log;
    bool audit_content = false;
};

bool is_loopback(const std::string& host) {
    if (host == "localhost") return true;
    boost::system::error_code error;
    const auto address = boost::asio::ip::make_address(host, error);
    return !error && address.is_loopback();
}

// Keys (and usage) from $INHOUSE_HOME/access.db; a server others can reach needs keys.
Status set_up_access(ServeArgs& args, std::unique_ptr<access::AccessDb>& db, std::unique_ptr<access::AuditLog>& audit) {
    INHOUSE_ASSIGN_OR_RETURN(db, open_access_db());
    INHOUSE_ASSIGN_OR_RETURN(const bool has_keys, db->has_keys());
    if (!has_keys && !is_loopback(args.server.host)) {
        if (!args.insecure_no_auth) {
            return make_error(ErrorCode::InvalidArgument,
                              "refusing to serve on {} without API keys: anyone who reaches that address could use "
                              "the model. Create a key with `inhouse keys create --name NAME`, or pass "
                              "--insecure-no-auth to serve it open anyway",
                              args.server.host);
        }
        spdlog::warn("serving on {} with no API keys (--insecure-no-auth): anyone who reaches it can use it",
                     args.server.host);
    }
    if (!args.audit_log.empty()) {
        INHOUSE_ASSIGN_OR_RETURN(audit, access::AuditLog::open(args.audit_log, args.audit_content));
    }
    args.server.access_db = db.get();
    args.server.audit_log = audit.get();
    fmt::print(stderr, "inhouse: API keys {}{}\n", has_keys ? "required (Authorization: Bearer)" : "not required (no keys)",
               audit ? fmt::format("; audit log {}", args.audit_log) : "");
    return {};
}

// What clients write in "model": the store name, or a file's name without ".gguf".
std::string served_name(const std::string& reference) {
    const std::filesystem::path path(reference);
    if (path.extension() == ".gguf") return path.stem().string();
    return reference;
}

std::string url_host(const std::string& host) {
    return host.find(':') == std::string::npos ? host : fmt::format("[{}]", host);
}

// Listens first, so that /health answers and /ready says 503 while a large model loads (what
// a load balancer or an orchestrator's probes expect), then attaches the model.
int serve(ServeArgs& args) {
    std::unique_ptr<access::AccessDb> access_db;
    std::unique_ptr<access::AuditLog> audit_log;
    if (auto access = set_up_access(args, access_db, audit_log); !access.ok()) {
        return report_error(access.error().to_string());
    }
    const server::ServedModel served{
        .name = served_name(args.model),
        .created = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count(),
        .scheduler = nullptr,
        .tokenizer = nullptr,
        .chat_format = nullptr,
    };
    auto http = server::HttpServer::create(args.server, served);
    if (!http.ok()) return report_error(http.error().to_string());
    fmt::print(stderr, "inhouse: serving {} on {}://{}:{} (ready once loaded: GET /ready)\n", served.name,
               args.server.tls_certificate_file.empty() ? "http" : "https", url_host(args.server.host), (*http)->port());
    std::fflush(stderr);
    std::thread io([&http] { (*http)->run(); });

    std::optional<LoadedModel> loaded;
    std::optional<engine::ChatFormat> format;
    std::unique_ptr<engine::Scheduler> scheduler;
    const auto load = [&]() -> Status {
        INHOUSE_ASSIGN_OR_RETURN(auto model, load_model(args.model, {.n_ctx = args.scheduler.n_ctx,
                                                                     .n_parallel = args.scheduler.n_parallel,
                                                                     .n_batch = args.scheduler.n_batch,
                                                                     .n_threads = args.scheduler.n_threads,
                                                                     .kv_type = args.scheduler.kv_type}));
        loaded.emplace(std::move(model));
        // A model without a chat template still serves /v1/completions.
        auto chat = engine::load_chat_format(loaded->model->file(), loaded->tokenizer);
        if (chat.ok()) {
            format.emplace(std::move(chat).value());
        } else {
            spdlog::warn("no chat completions: {}", chat.error().to_string());
        }
        INHOUSE_ASSIGN_OR_RETURN(scheduler, engine::Scheduler::create(*loaded->model, loaded->tokenizer, args.scheduler));
        // As llama.cpp's server logs its KV buffer: what the context costs, committed now.
        const model::KvCache& cache = scheduler->kv_cache();
        fmt::print(stderr, "inhouse: KV cache {} MiB ({}): {} blocks of {} tokens; {} sequences of up to {} tokens\n",
                   cache.size_bytes() >> 20, model::kv_cache_type_name(cache.type()), cache.n_blocks(),
                   model::KvCache::kBlockTokens, cache.n_seqs(), cache.n_ctx());
        return {};
    };
    const Status status = load();
    if (status.ok()) {
        (*http)->attach_model(*scheduler, loaded->tokenizer, format ? &*format : nullptr);
    } else {
        (*http)->stop();
    }
    io.join();
    // The scheduler goes first: finishing its requests posts to the server's executor.
    scheduler.reset();
    if (!status.ok()) return report_error(status.error().to_string());
    fmt::print(stderr, "inhouse: stopped\n");
    return kExitOk;
}

// Seconds as CLI11 reads them into std::chrono::seconds.
CLI::Option* add_seconds(CLI::App& command, const std::string& name, std::chrono::seconds& value,
                         const std::string& help) {
    return command
        .add_option_function<std::int64_t>(
            name, [&value](std::int64_t seconds) { value = std::chrono::seconds(seconds); }, help)
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400}))
        ->default_str(std::to_string(value.count()))
        ->group("Limits");
}

void add_limit_options(CLI::App& command, ServeArgs& args) {
    server::RequestLimits& limits = args.server.limits;
    command.add_option("--max-body", args.server.max_body_bytes, "Largest request body in bytes (413 beyond)")
        ->capture_default_str()->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30))->group("Limits");
    command.add_option("--max-prompt-tokens", limits.max_prompt_tokens, "Longest prompt in tokens (0: the context)")
        ->capture_default_str()->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 30))->group("Limits");
    command.add_option("--max-tokens", limits.max_tokens, "Largest max_tokens, and the default (0: the context)")
        ->capture_default_str()->check(CLI::Range(0, 1 << 30))->group("Limits");
    command.add_option("--max-n", limits.max_choices, "Most choices (n) per request")
        ->capture_default_str()->check(CLI::Range(1, server::kMaxChoices))->group("Limits");
    command.add_option("--max-stop", limits.max_stop_strings, "Most stop strings per request")
        ->capture_default_str()->check(CLI::Range(std::size_t{0}, std::size_t{1024}))->group("Limits");
    command.add_option("--max-stop-bytes", limits.max_stop_string_bytes, "Longest stop string in bytes")
        ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{65536}))->group("Limits");
    command.add_option("--max-logit-bias", limits.max_logit_bias, "Most logit_bias entries per request")
        ->capture_default_str()->check(CLI::Range(std::size_t{0}, std::size_t{1} << 20))->group("Limits");
    command.add_option("--max-connections", limits.max_connections, "Open connections at most (503 beyond)")
        ->capture_default_str()->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))->group("Limits");
    add_seconds(command, "--header-timeout", limits.header_timeout,
                "Seconds to receive a request's headers (and keep-alive idle time)");
    add_seconds(command, "--request-timeout", limits.request_timeout, "Seconds to receive a whole request");
    add_seconds(command, "--completion-timeout", limits.completion_timeout,
                "Seconds a completion may run; then it ends with finish_reason 'length'");
    add_seconds(command, "--shutdown-timeout", args.server.shutdown_timeout,
                "Seconds running requests get to finish after SIGTERM/SIGINT");
}

}  // namespace

void add_serve_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<ServeArgs>();
    auto* command = app.add_subcommand("serve", "Serve a model over an OpenAI-compatible HTTP API");
    command->add_option("-m,--model", args->model, "Store name or .gguf path")->required();
    command->add_option("--host", args->server.host, "Address to listen on")->capture_default_str();
    command->add_option("--port", args->server.port, "Port (0: any free port, logged)")->capture_default_str();
    command->add_option("-c,--ctx-size,--ctx", args->scheduler.n_ctx,
                        "Context length per sequence (0: the model's, capped by memory)");
    command->add_option("--parallel", args->scheduler.n_parallel, "Sequences generated at once")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    command->add_option("-t,--threads", args->scheduler.n_threads, "Threads (0: every core)");
    add_kv_cache_type_option(*command, args->scheduler.kv_type);
    command->add_option("--batch", args->scheduler.n_batch, "Tokens per forward pass")
        ->check(CLI::Range(1, 65536))
        ->capture_default_str();
    command->add_option("--prefill-chunk", args->scheduler.n_prefill_while_decoding,
                        "Prompt tokens per step while other requests are generating (smaller: smoother streams, "
                        "later first tokens)")
        ->check(CLI::Range(1, 65536))
        ->capture_default_str();
    command->add_option("--max-queue", args->scheduler.max_queued,
                        "Requests that may wait for a slot; beyond it the answer is 429 with Retry-After")
        ->check(CLI::Range(1, 1 << 20))
        ->capture_default_str();
    command->add_flag("!--no-prefix-cache", args->scheduler.prefix_cache,
                      "Recompute every prompt instead of reusing the blocks of common prefixes");
    add_limit_options(*command, *args);
    command->add_option("--tls-cert", args->server.tls_certificate_file, "Serve HTTPS: PEM certificate (chain) file")
        ->check(CLI::ExistingFile);
    command->add_option("--tls-key", args->server.tls_private_key_file, "Serve HTTPS: PEM private key file")
        ->check(CLI::ExistingFile);
    command->add_flag("--insecure-no-auth", args->insecure_no_auth,
                      "Serve a non-loopback address even when no API key exists (anyone reaching it can use it)");
    command->add_option("--audit-log", args->audit_log,
                        "Append one JSON line per request here (time, key, model, tokens, status, latency, client)");
    command->add_flag("--audit-content", args->audit_content,
                      "Also write prompts and outputs into the audit log (off by default)");
    command->callback([args, &action] { action = [args] { return serve(*args); }; });
}

}  // namespace inhouse::cli
