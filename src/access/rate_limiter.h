// Per-key rate limits and quotas, in memory: requests and tokens over the last minute, and
// tokens reserved by requests in flight against the key's lifetime quota. A request is admitted
// with an estimate (prompt + max_tokens) and settled with what it used; the quota also caps the
// request's max_tokens so that it can never run past it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "access/access_db.h"

namespace inhouse::access {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    struct Admission {
        bool admitted = false;
        std::uint64_t ticket = 0;
        std::int64_t max_completion_tokens = 0;  // the request's max_tokens, capped by the quota left
        // Refused: why, OpenAI's error code, and when trying again can help (0: never).
        std::string message;
        std::string code;
        int retry_after_seconds = 0;
    };

    // `used_tokens`: the key's lifetime total so far (from the database).
    Admission admit(const std::string& key_id, const KeyLimits& limits, std::int64_t used_tokens,
                    std::int64_t prompt_tokens, std::int64_t max_completion_tokens, Clock::time_point now = Clock::now());
    // The request ended having used `tokens`. Record its usage in the database first: a request
    // is then briefly counted twice, never not at all.
    void settle(const std::string& key_id, std::uint64_t ticket, std::int64_t tokens);

private:
    struct Entry {
        std::uint64_t ticket = 0;
        Clock::time_point time;
        std::int64_t tokens = 0;   // counted in the minute's window: the estimate, then the use
    };
    struct KeyWindow {
        std::deque<Entry> recent;          // the last minute's requests, oldest first
        std::unordered_map<std::uint64_t, std::int64_t> in_flight;  // ticket -> reserved tokens
        std::int64_t reserved = 0;
    };

    std::mutex mutex_;
    std::unordered_map<std::string, KeyWindow> keys_;
    std::uint64_t next_ticket_ = 1;
};

}  // namespace inhouse::access
