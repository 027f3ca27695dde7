// Who may use the server and how much: API keys (Authorization: Bearer), per-key rate limits
// and quotas, and the record of every request — a usage row in the access database for each
// completion request, however it ended, and a line in the audit log for every request.
// Auth is on whenever the database holds a key (revoking every key does not open the server);
// `inhouse serve` refuses a non-loopback address without keys unless told otherwise.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "access/access_db.h"
#include "access/audit_log.h"
#include "access/rate_limiter.h"
#include "server/api_error.h"

namespace inhouse::server {

// The key a request came with (empty id and name when auth is off) and its admission.
struct Principal {
    std::string key_id;
    std::string key_name;
    access::KeyLimits limits;
    std::uint64_t ticket = 0;  // admitted by the rate limiter: settle at the end
};

// One request's end, for the usage row and the audit line.
struct RequestRecord {
    std::string endpoint;
    std::string client;
    std::string model;
    int http_status = 200;
    access::Outcome outcome = access::Outcome::Completed;
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    std::int64_t latency_ms = 0;
    std::optional<std::string> request_body;  // for the audit log, if content logging is on
    std::optional<std::string> output_text;
};

class AccessControl {
public:
    // Either may be null: no usage database (tests), no audit log.
    AccessControl(access::AccessDb* db, access::AuditLog* audit) : db_(db), audit_(audit) {}

    // The key in an Authorization header value ("Bearer ihk_…"), checked when auth is on. A key
    // in the URL's query is refused whatever the header says (URLs end up in logs).
    std::variant<Principal, ApiError> authenticate(std::string_view target, std::string_view authorization);
    // The URL check alone, for the paths that need no key (/health, /ready).
    static std::optional<ApiError> refuse_credentials_in_url(std::string_view target);

    // A completion of `prompt_tokens` that may generate `max_completion_tokens` (all choices):
    // within the key's limits, or a 429 (Retry-After when waiting helps). The quota lowers the
    // allowance instead when some is left; `max_completion_tokens` holds what was granted.
    std::optional<ApiError> admit(Principal& principal, std::int64_t prompt_tokens, std::int64_t& max_completion_tokens);

    // The request ended: usage row (completion endpoints), then the limiter settles, then the
    // audit line. Never throws; a database failure is logged.
    void finish(const Principal& principal, const RequestRecord& record);

    bool logs_content() const { return audit_ != nullptr && audit_->logs_content(); }

private:
    // Whether auth is on. Keys are never deleted (revoked ones stay), so once a key exists the
    // answer is fixed; until then the database is asked at most once a second, so a key created
    // while the server runs takes effect within that second.
    Result<bool> auth_required();

    access::AccessDb* db_;
    access::AuditLog* audit_;
    access::RateLimiter limiter_;
    std::atomic<bool> keys_exist_{false};
    std::atomic<std::int64_t> keys_checked_ms_{std::numeric_limits<std::int64_t>::min()};
};

}  // namespace inhouse::server
