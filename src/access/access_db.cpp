#include "access/access_db.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>

#include "access/api_key.h"

namespace inhouse::access {

namespace {

// One prepared statement; binds by position (from 1), finalized on destruction.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK) statement_ = nullptr;
    }
    ~Statement() { sqlite3_finalize(statement_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool ok() const { return statement_ != nullptr; }
    Statement& bind(int index, std::int64_t value) {
        sqlite3_bind_int64(statement_, index, value);
        return *this;
    }
    Statement& bind(int index, std::string_view text) {
        sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind_blob(int index, std::span<const std::uint8_t> bytes) {
        sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind_null(int index) {
        sqlite3_bind_null(statement_, index);
        return *this;
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(statement_); }
    std::int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }
    bool is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
    std::string text(int column) const {
        const auto* value = sqlite3_column_text(statement_, column);
        return value == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(value));
    }
    std::span<const std::uint8_t> blob(int column) const {
        const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement_, column));
        return {data, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column))};
    }

private:
    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
};

Error db_error(sqlite3* db, std::string_view path, std::string_view what) {
    return Error(ErrorCode::Io, fmt::format("{}: {}: {}", path, what, sqlite3_errmsg(db)));
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Steps `select` to the end, converting each row; an error midway is reported, never a partial list.
template <typename Convert>
auto collect_rows(Statement& select, Convert convert, sqlite3* db, std::string_view path, std::string_view what)
    -> Result<std::vector<decltype(convert(select))>> {
    std::vector<decltype(convert(select))> rows;
    int result = 0;
    while ((result = select.step()) == SQLITE_ROW) rows.push_back(convert(select));
    if (result != SQLITE_DONE) return db_error(db, path, what);
    return rows;
}

KeyRecord key_from_row(const Statement& row) {
    KeyRecord key;
    key.id = row.text(0);
    key.name = row.text(1);
    key.created_unix = row.integer(2);
    if (!row.is_null(3)) key.revoked_unix = row.integer(3);
    key.limits = {.requests_per_minute = row.integer(4), .tokens_per_minute = row.integer(5), .quota_tokens = row.integer(6)};
    return key;
}

UsageTotals totals_from_row(const Statement& row) {
    return {.key_name = row.text(0).empty() ? "(no key)" : row.text(0),
            .key_id = row.text(1),
            .requests = row.integer(2),
            .prompt_tokens = row.integer(3),
            .completion_tokens = row.integer(4)};
}

UsageRecord record_from_row(const Statement& row) {
    UsageRecord r{.time_ms = row.integer(0), .key_id = row.text(1), .key_name = row.text(2),
                  .model = row.text(3), .endpoint = row.text(4), .prompt_tokens = row.integer(5),
                  .completion_tokens = row.integer(6), .outcome = Outcome::Completed,
                  .http_status = static_cast<int>(row.integer(8)), .latency_ms = row.integer(9),
                  .client = row.text(10)};
    const std::string outcome = row.text(7);
    for (const auto candidate : {Outcome::Completed, Outcome::Stopped, Outcome::ClientGone, Outcome::Error,
                                 Outcome::Shutdown, Outcome::Refused}) {
        if (outcome_name(candidate) == outcome) r.outcome = candidate;
    }
    return r;
}

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS keys (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL,
  created INTEGER NOT NULL, revoked INTEGER,
  rpm INTEGER NOT NULL DEFAULT 0, tpm INTEGER NOT NULL DEFAULT 0, quota INTEGER NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS keys_active_name ON keys(name) WHERE revoked IS NULL;
CREATE TABLE IF NOT EXISTS usage (
  id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, key_id TEXT NOT NULL, key_name TEXT NOT NULL,
  model TEXT NOT NULL, endpoint TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  outcome TEXT NOT NULL, http_status INTEGER NOT NULL, latency_ms INTEGER NOT NULL, client TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS usage_by_key ON usage(key_id);
CREATE INDEX IF NOT EXISTS usage_by_time ON usage(time_ms);
)sql";

}  // namespace

std::string_view outcome_name(Outcome outcome) {
    switch (outcome) {
        case Outcome::Completed: return "completed";
        case Outcome::Stopped: return "stopped";
        case Outcome::ClientGone: return "client_gone";
        case Outcome::Error: return "error";
        case Outcome::Shutdown: return "shutdown";
        case Outcome::Refused: return "refused";
    }
    return "?";
}

Result<std::unique_ptr<AccessDb>> AccessDb::open(const std::string& path) {
    // Keys' hashes and usage are the company's business: owner-only from the first byte.
    const mode_t previous = umask(077);
    sqlite3* db = nullptr;
    const int opened = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                                       nullptr);
    umask(previous);
    if (opened != SQLITE_OK) {
        Error error = db_error(db, path, "cannot open the access database");
        sqlite3_close(db);
        return error;
    }
    std::unique_ptr<AccessDb> access(new AccessDb(db, path));
    sqlite3_busy_timeout(db, 5000);
    // WAL: readers (the CLI) never block the server; NORMAL: a commit survives the process
    // being killed (not a power cut), without an fsync per request.
    INHOUSE_RETURN_IF_ERROR(access->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
    INHOUSE_RETURN_IF_ERROR(access->exec(kSchema));
    return access;
}

AccessDb::~AccessDb() { sqlite3_close(db_); }

Status AccessDb::exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message != nullptr ? message : "unknown error";
        sqlite3_free(message);
        return make_error(ErrorCode::Io, "{}: {}", path_, text);
    }
    return {};
}

Result<std::string> AccessDb::create_key(std::string_view name, const KeyLimits& limits) {
    if (!is_valid_key_name(name)) {
        return make_error(ErrorCode::InvalidArgument, "key name '{}': use 1 to 64 letters, digits, '.', '_' or '-'", name);
    }
    if (limits.requests_per_minute < 0 || limits.tokens_per_minute < 0 || limits.quota_tokens < 0) {
        return make_error(ErrorCode::InvalidArgument, "limits cannot be negative");
    }
    const std::lock_guard lock(mutex_);
    const GeneratedKey key = generate_api_key();
    Statement insert(db_, "INSERT INTO keys (id, name, salt, hash, created, rpm, tpm, quota) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return db_error(db_, path_, "cannot prepare");
    insert.bind(1, key.id).bind(2, name).bind_blob(3, key.salt).bind_blob(4, key.hash).bind(5, unix_now());
    insert.bind(6, limits.requests_per_minute).bind(7, limits.tokens_per_minute).bind(8, limits.quota_tokens);
    const int result = insert.step();
    if (result == SQLITE_CONSTRAINT) {
        return make_error(ErrorCode::InvalidArgument, "a key named '{}' exists already (revoke it first)", name);
    }
    if (result != SQLITE_DONE) return db_error(db_, path_, "cannot store the key");
    return key.text;
}

Result<std::vector<KeyRecord>> AccessDb::list_keys() {
    const std::lock_guard lock(mutex_);
    Statement select(db_, "SELECT id, name, created, revoked, rpm, tpm, quota FROM keys ORDER BY created, name");
    if (!select.ok()) return db_error(db_, path_, "cannot prepare");
    return collect_rows(select, key_from_row, db_, path_, "cannot read keys");
}

Status AccessDb::revoke_key(std::string_view name) {
    const std::lock_guard lock(mutex_);
    Statement update(db_, "UPDATE keys SET revoked = ? WHERE name = ? AND revoked IS NULL");
    if (!update.ok()) return db_error(db_, path_, "cannot prepare");
    update.bind(1, unix_now()).bind(2, name);
    if (update.step() != SQLITE_DONE) return db_error(db_, path_, "cannot revoke");
    if (sqlite3_changes(db_) == 0) return make_error(ErrorCode::NotFound, "no active key named '{}'", name);
    return {};
}

Result<bool> AccessDb::has_keys() {
    const std::lock_guard lock(mutex_);
    Statement select(db_, "SELECT 1 FROM keys LIMIT 1");
    if (!select.ok()) return db_error(db_, path_, "cannot prepare");
    const int result = select.step();
    if (result != SQLITE_ROW && result != SQLITE_DONE) return db_error(db_, path_, "cannot read keys");
    return result == SQLITE_ROW;
}

Result<std::optional<KeyRecord>> AccessDb::authenticate(std::string_view presented) {
    const auto parsed = parse_api_key(presented);
    if (!parsed) return std::optional<KeyRecord>();
    const std::lock_guard lock(mutex_);
    Statement select(db_, "SELECT id, name, created, revoked, rpm, tpm, quota, salt, hash FROM keys WHERE id = ?");
    if (!select.ok()) return db_error(db_, path_, "cannot prepare");
    select.bind(1, parsed->id);
    const int result = select.step();
    if (result == SQLITE_DONE) return std::optional<KeyRecord>();
    if (result != SQLITE_ROW) return db_error(db_, path_, "cannot read keys");
    const KeyHash presented_hash = hash_secret(select.blob(7), parsed->secret);
    if (!equal_in_constant_time(presented_hash, select.blob(8))) return std::optional<KeyRecord>();
    KeyRecord key = key_from_row(select);
    if (key.revoked_unix) return std::optional<KeyRecord>();
    return std::optional<KeyRecord>(std::move(key));
}

Status AccessDb::record_usage(const UsageRecord& r) {
    const std::lock_guard lock(mutex_);
    Statement insert(db_,
                     "INSERT INTO usage (time_ms, key_id, key_name, model, endpoint, prompt_tokens, completion_tokens, "
                     "outcome, http_status, latency_ms, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return db_error(db_, path_, "cannot prepare");
    insert.bind(1, r.time_ms).bind(2, r.key_id).bind(3, r.key_name).bind(4, r.model).bind(5, r.endpoint);
    insert.bind(6, r.prompt_tokens).bind(7, r.completion_tokens).bind(8, outcome_name(r.outcome));
    insert.bind(9, static_cast<std::int64_t>(r.http_status)).bind(10, r.latency_ms).bind(11, r.client);
    if (insert.step() != SQLITE_DONE) return db_error(db_, path_, "cannot record usage");
    return {};
}

Result<std::int64_t> AccessDb::tokens_used(std::string_view key_id) {
    const std::lock_guard lock(mutex_);
    Statement select(db_, "SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) FROM usage WHERE key_id = ?");
    if (!select.ok()) return db_error(db_, path_, "cannot prepare");
    select.bind(1, key_id);
    if (select.step() != SQLITE_ROW) return db_error(db_, path_, "cannot read usage");
    return select.integer(0);
}

Result<std::vector<UsageTotals>> AccessDb::usage_totals(std::int64_t since_ms) {
    const std::lock_guard lock(mutex_);
    Statement select(db_,
                     "SELECT key_name, key_id, COUNT(*), SUM(prompt_tokens), SUM(completion_tokens) FROM usage "
                     "WHERE time_ms >= ? GROUP BY key_id, key_name ORDER BY key_name");
    if (!select.ok()) return db_error(db_, path_, "cannot prepare");
    select.bind(1, since_ms);
    return collect_rows(select, totals_from_row, db_, path_, "cannot read usage");
}

Result<std::vector<UsageRecord>> AccessDb::usage_records(std::int64_t since_ms) {
    const std::lock_guard lock(mutex_);
    Statement select(db_,
                     "SELECT time_ms, key_id, key_name, model, endpoint, prompt_tokens, completion_tokens, outcome, "
                     "http_status, latency_ms, client FROM usage WHERE time_ms >= ? ORDER BY id");
    if (!select.ok()) return db_error(db_, path_, "cannot prepare");
    select.bind(1, since_ms);
    return collect_rows(select, record_from_row, db_, path_, "cannot read usage");
}

}  // namespace inhouse::access
