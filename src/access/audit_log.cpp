#include "access/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

namespace inhouse::access {

namespace {

std::string iso8601_utc(std::int64_t unix_ms) {
    const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    return fmt::format("{}.{:03d}Z", text, static_cast<int>(unix_ms % 1000));
}

}  // namespace

Result<std::unique_ptr<AuditLog>> AuditLog::open(const std::string& path, bool log_content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return make_error(ErrorCode::Io, "cannot open the audit log {}: {}", path, std::strerror(errno));
    std::FILE* file = fdopen(fd, "a");
    if (file == nullptr) {
        ::close(fd);
        return make_error(ErrorCode::Io, "cannot open the audit log {}: {}", path, std::strerror(errno));
    }
    return std::unique_ptr<AuditLog>(new AuditLog(file, log_content));
}

AuditLog::~AuditLog() { std::fclose(file_); }

void AuditLog::write(const AuditEntry& entry) {
    const UsageRecord& u = entry.usage;
    nlohmann::json line = {{"time", iso8601_utc(u.time_ms)},
                           {"key", u.key_name.empty() ? nlohmann::json() : nlohmann::json(u.key_name)},
                           {"model", u.model},
                           {"endpoint", u.endpoint},
                           {"prompt_tokens", u.prompt_tokens},
                           {"completion_tokens", u.completion_tokens},
                           {"status", u.http_status},
                           {"outcome", outcome_name(u.outcome)},
                           {"latency_ms", u.latency_ms},
                           {"client", u.client}};
    if (log_content_) {
        if (entry.request_body) line["request"] = *entry.request_body;
        if (entry.output_text) line["output"] = *entry.output_text;
    }
    // Invalid UTF-8 from a client must not make the line unwritable.
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    const std::lock_guard lock(mutex_);
    std::fwrite(text.data(), 1, text.size(), file_);
    std::fflush(file_);
}

}  // namespace inhouse::access
