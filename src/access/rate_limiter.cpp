#include "access/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace inhouse::access {

namespace {

constexpr auto kWindow = std::chrono::seconds(60);

int seconds_until(RateLimiter::Clock::time_point when, RateLimiter::Clock::time_point now) {
    const double seconds = std::chrono::duration<double>(when - now).count();
    return std::max(1, static_cast<int>(std::ceil(seconds)));
}

}  // namespace

RateLimiter::Admission RateLimiter::admit(const std::string& key_id, const KeyLimits& limits, std::int64_t used_tokens,
                                          std::int64_t prompt_tokens, std::int64_t max_completion_tokens,
                                          Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    KeyWindow& window = keys_[key_id];
    while (!window.recent.empty() && window.recent.front().time + kWindow <= now) window.recent.pop_front();
    Admission admission;
    admission.max_completion_tokens = max_completion_tokens;

    if (limits.requests_per_minute > 0 && static_cast<std::int64_t>(window.recent.size()) >= limits.requests_per_minute) {
        admission.message = fmt::format("rate limit reached: {} requests per minute for this key", limits.requests_per_minute);
        admission.code = "rate_limit_exceeded";
        admission.retry_after_seconds = seconds_until(window.recent.front().time + kWindow, now);
        return admission;
    }
    if (limits.quota_tokens > 0) {
        const std::int64_t left = limits.quota_tokens - used_tokens - window.reserved;
        if (left <= prompt_tokens) {
            admission.message = fmt::format("quota exhausted: this key has used {} of its {} tokens{}",
                                            std::min(limits.quota_tokens, used_tokens + window.reserved),
                                            limits.quota_tokens,
                                            left > 0 ? fmt::format(" and the prompt alone needs {}", prompt_tokens) : "");
            admission.code = "insufficient_quota";
            return admission;
        }
        admission.max_completion_tokens = std::min(max_completion_tokens, left - prompt_tokens);
    }
    const std::int64_t estimate = prompt_tokens + admission.max_completion_tokens;
    if (limits.tokens_per_minute > 0) {
        if (estimate > limits.tokens_per_minute) {
            admission.message = fmt::format("request too large: {} prompt tokens + max_tokens {} exceed this key's {} "
                                            "tokens per minute; lower max_tokens",
                                            prompt_tokens, admission.max_completion_tokens, limits.tokens_per_minute);
            admission.code = "rate_limit_exceeded";
            return admission;
        }
        std::int64_t in_window = 0;
        for (const auto& entry : window.recent) in_window += entry.tokens;
        if (in_window + estimate > limits.tokens_per_minute) {
            // Retry once enough of the window has aged out.
            std::int64_t freed = 0;
            Clock::time_point when = now + kWindow;
            for (const auto& entry : window.recent) {
                freed += entry.tokens;
                if (in_window - freed + estimate <= limits.tokens_per_minute) {
                    when = entry.time + kWindow;
                    break;
                }
            }
            admission.message = fmt::format("rate limit reached: {} tokens per minute for this key ({} used in the "
                                            "last minute, this request may use {})",
                                            limits.tokens_per_minute, in_window, estimate);
            admission.code = "rate_limit_exceeded";
            admission.retry_after_seconds = seconds_until(when, now);
            return admission;
        }
    }
    admission.admitted = true;
    admission.ticket = next_ticket_++;
    window.recent.push_back({.ticket = admission.ticket, .time = now, .tokens = estimate});
    window.in_flight[admission.ticket] = estimate;
    window.reserved += estimate;
    return admission;
}

void RateLimiter::settle(const std::string& key_id, std::uint64_t ticket, std::int64_t tokens) {
    const std::lock_guard lock(mutex_);
    const auto key = keys_.find(key_id);
    if (key == keys_.end()) return;
    KeyWindow& window = key->second;
    if (const auto it = window.in_flight.find(ticket); it != window.in_flight.end()) {
        window.reserved -= it->second;
        window.in_flight.erase(it);
    }
    for (auto& entry : window.recent) {
        if (entry.ticket == ticket) entry.tokens = tokens;
    }
}

}  // namespace inhouse::access
