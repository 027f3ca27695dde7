// The audit log: one JSON line per request (time, key name, model, endpoint, tokens in and out,
// status, latency, client address), appended and flushed as each request ends. Prompts and
// outputs are not written unless the operator asks for them (--audit-content).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "access/access_db.h"
#include "core/result.h"

namespace inhouse::access {

struct AuditEntry {
    UsageRecord usage;
    std::optional<std::string> request_body;  // only with content logging on
    std::optional<std::string> output_text;
};

class AuditLog {
public:
    // Appends to `path` (created 0600); an error names it.
    static Result<std::unique_ptr<AuditLog>> open(const std::string& path, bool log_content);
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    bool logs_content() const { return log_content_; }
    void write(const AuditEntry& entry);

private:
    AuditLog(std::FILE* file, bool log_content) : file_(file), log_content_(log_content) {}

    std::mutex mutex_;
    std::FILE* file_ = nullptr;
    bool log_content_ = false;
};

}  // namespace inhouse::access
