// The access database, $INHOUSE_HOME/access.db (SQLite, WAL, mode 0600): API keys (a salted hash
// of each secret, never the secret) and one usage row per request. A row is committed when its
// request ends, whatever the ending, so a crash or kill -9 of the server loses no finished
// request's usage; WAL lets `inhouse keys` and `inhouse usage` work while a server runs.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct sqlite3;

namespace inhouse::access {

// Per-key limits; 0 means none.
struct KeyLimits {
    std::int64_t requests_per_minute = 0;
    std::int64_t tokens_per_minute = 0;
    std::int64_t quota_tokens = 0;  // prompt + completion tokens over the key's life
};

struct KeyRecord {
    std::string id;
    std::string name;
    std::int64_t created_unix = 0;
    std::optional<std::int64_t> revoked_unix;
    KeyLimits limits;
};

// How a request ended. Stopped: cut by the server's completion time limit (its output stands).
enum class Outcome { Completed, Stopped, ClientGone, Error, Shutdown, Refused };
std::string_view outcome_name(Outcome outcome);

struct UsageRecord {
    std::int64_t time_ms = 0;  // Unix milliseconds at the end
    std::string key_id;        // empty when auth is off
    std::string key_name;
    std::string model;
    std::string endpoint;
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    Outcome outcome = Outcome::Completed;
    int http_status = 200;
    std::int64_t latency_ms = 0;
    std::string client;
};

struct UsageTotals {
    std::string key_name;  // "(no key)" for requests served without auth
    std::string key_id;
    std::int64_t requests = 0;
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
};

class AccessDb {
public:
    // Opens or creates the database (and its tables); an error names the file.
    static Result<std::unique_ptr<AccessDb>> open(const std::string& path);
    static std::string path_in(const std::string& home) { return home + "/access.db"; }
    ~AccessDb();
    AccessDb(const AccessDb&) = delete;
    AccessDb& operator=(const AccessDb&) = delete;

    // Returns the new key's text, the only time it exists outside the caller's hands. An
    // error names a bad or already active name.
    Result<std::string> create_key(std::string_view name, const KeyLimits& limits);
    Result<std::vector<KeyRecord>> list_keys();
    Status revoke_key(std::string_view name);
    // Whether any key was ever created (revoked ones count: revoking every key keeps auth on).
    Result<bool> has_keys();
    // The active key `presented` is, or nothing (malformed, unknown, wrong secret, revoked).
    Result<std::optional<KeyRecord>> authenticate(std::string_view presented);

    Status record_usage(const UsageRecord& record);
    Result<std::int64_t> tokens_used(std::string_view key_id);
    // Per key, for requests that ended at or after `since_ms`.
    Result<std::vector<UsageTotals>> usage_totals(std::int64_t since_ms);
    // Every record, oldest first (for the soak test's accounting and audits).
    Result<std::vector<UsageRecord>> usage_records(std::int64_t since_ms);

private:
    AccessDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    Status exec(const char* sql);

    std::mutex mutex_;
    sqlite3* db_ = nullptr;
    std::string path_;
};

}  // namespace inhouse::access
