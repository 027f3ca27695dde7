#include "server/access_control.h"

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>

namespace inhouse::server {

namespace {

constexpr std::string_view kBearer = "Bearer ";

// Query parameters that clients and proxies use for credentials.
constexpr std::array<std::string_view, 7> kCredentialParameters = {"key", "api_key", "api-key", "apikey",
                                                                    "access_token", "token", "authorization"};

bool query_carries_credentials(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return false;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        std::string name(pair.substr(0, pair.find('=')));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const auto parameter : kCredentialParameters) {
            if (name == parameter) return true;
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return false;
}

ApiError unauthorized(std::string message) {
    ApiError error{.status = 401,
                   .type = "invalid_request_error",
                   .message = std::move(message),
                   .param = std::nullopt,
                   .code = "invalid_api_key",
                   .headers = {{"WWW-Authenticate", "Bearer"}}};
    return error;
}

ApiError too_many(std::string message, std::string code, int retry_after_seconds) {
    ApiError error{.status = 429,
                   .type = code == "insufficient_quota" ? "insufficient_quota" : "requests",
                   .message = std::move(message),
                   .param = std::nullopt,
                   .code = std::move(code),
                   .headers = {}};
    if (retry_after_seconds > 0) error.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
    return error;
}

// The database failed (logged by the caller): the client sees a plain 500.
ApiError database_failed() { return internal_error("The access database failed"); }

std::int64_t unix_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::optional<ApiError> AccessControl::refuse_credentials_in_url(std::string_view target) {
    if (!query_carries_credentials(target)) return std::nullopt;
    return unauthorized("API keys are accepted only in the Authorization header (Bearer), never in the URL; "
                        "this request was refused and its URL not logged");
}

std::variant<Principal, ApiError> AccessControl::authenticate(std::string_view target, std::string_view authorization) {
    if (auto refused = refuse_credentials_in_url(target)) return *refused;
    if (db_ == nullptr) return Principal{};
    auto keys_exist = auth_required();
    if (!keys_exist.ok()) {
        spdlog::error("{}", keys_exist.error().to_string());
        return database_failed();
    }
    if (!*keys_exist) return Principal{};
    if (authorization.empty()) {
        return unauthorized("Missing API key: send it as 'Authorization: Bearer <key>' (keys come from "
                            "`inhouse keys create`)");
    }
    if (!authorization.starts_with(kBearer)) return unauthorized("The Authorization header must be 'Bearer <key>'");
    auto key = db_->authenticate(authorization.substr(kBearer.size()));
    if (!key.ok()) {
        spdlog::error("{}", key.error().to_string());
        return database_failed();
    }
    if (!key->has_value()) return unauthorized("Incorrect or revoked API key");
    return Principal{.key_id = (*key)->id, .key_name = (*key)->name, .limits = (*key)->limits, .ticket = 0};
}

Result<bool> AccessControl::auth_required() {
    if (keys_exist_.load(std::memory_order_relaxed)) return true;
    const std::int64_t now = unix_ms_now();
    const std::int64_t checked = keys_checked_ms_.load(std::memory_order_relaxed);
    if (checked != std::numeric_limits<std::int64_t>::min() && now - checked < 1000) return false;
    auto exist = db_->has_keys();
    if (!exist.ok()) return exist;
    keys_exist_.store(*exist, std::memory_order_relaxed);
    keys_checked_ms_.store(now, std::memory_order_relaxed);
    return *exist;
}

std::optional<ApiError> AccessControl::admit(Principal& principal, std::int64_t prompt_tokens,
                                             std::int64_t& max_completion_tokens) {
    if (principal.key_id.empty()) return std::nullopt;
    const auto& limits = principal.limits;
    if (limits.requests_per_minute == 0 && limits.tokens_per_minute == 0 && limits.quota_tokens == 0) {
        return std::nullopt;
    }
    std::int64_t used = 0;
    if (limits.quota_tokens > 0 && db_ != nullptr) {
        auto tokens = db_->tokens_used(principal.key_id);
        if (!tokens.ok()) {
            spdlog::error("{}", tokens.error().to_string());
            return database_failed();
        }
        used = *tokens;
    }
    const auto admission = limiter_.admit(principal.key_id, limits, used, prompt_tokens, max_completion_tokens);
    if (!admission.admitted) return too_many(admission.message, admission.code, admission.retry_after_seconds);
    principal.ticket = admission.ticket;
    max_completion_tokens = admission.max_completion_tokens;
    return std::nullopt;
}

void AccessControl::finish(const Principal& principal, const RequestRecord& record) {
    access::UsageRecord usage{.time_ms = unix_ms_now(),
                              .key_id = principal.key_id,
                              .key_name = principal.key_name,
                              .model = record.model,
                              .endpoint = record.endpoint,
                              .prompt_tokens = record.prompt_tokens,
                              .completion_tokens = record.completion_tokens,
                              .outcome = record.outcome,
                              .http_status = record.http_status,
                              .latency_ms = record.latency_ms,
                              .client = record.client};
    const bool completion = record.endpoint == "/v1/chat/completions" || record.endpoint == "/v1/completions";
    if (completion && db_ != nullptr) {
        if (auto recorded = db_->record_usage(usage); !recorded.ok()) spdlog::error("{}", recorded.error().to_string());
    }
    if (principal.ticket != 0) {
        limiter_.settle(principal.key_id, principal.ticket, record.prompt_tokens + record.completion_tokens);
    }
    if (audit_ != nullptr) {
        audit_->write({.usage = usage, .request_body = record.request_body, .output_text = record.output_text});
    }
}

}  // namespace inhouse::server
