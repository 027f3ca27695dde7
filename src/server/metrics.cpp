#include "server/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace inhouse::server {

namespace {

// Bounds in seconds. Time to first token spans a queued long prompt; inter-token latency a
// decode step of a small to a large model on a CPU.
const std::vector<double> kTimeToFirstTokenBounds = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
const std::vector<double> kInterTokenBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
const std::vector<double> kRequestDurationBounds = {0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

template <typename T>
void sample(std::string& out, std::string_view name, T value) {
    fmt::format_to(std::back_inserter(out), "{} {}\n", name, value);
}

void scheduler_gauges(std::string& out, const engine::SchedulerMetrics& scheduler) {
    header(out, "inhouse_queue_depth", "gauge", "Requests waiting for a sequence slot.");
    sample(out, "inhouse_queue_depth", scheduler.waiting);
    header(out, "inhouse_running_sequences", "gauge", "Sequences being prefilled or decoded.");
    sample(out, "inhouse_running_sequences", scheduler.running);
    header(out, "inhouse_last_batch_tokens", "gauge", "Tokens in the last forward pass.");
    sample(out, "inhouse_last_batch_tokens", scheduler.last_batch_tokens);
    const std::int64_t n_free =
        std::max<std::int64_t>(0, scheduler.kv_blocks_total - scheduler.kv_blocks_used - scheduler.kv_blocks_cached);
    header(out, "inhouse_kv_cache_blocks_used", "gauge", "KV cache blocks held by running sequences.");
    sample(out, "inhouse_kv_cache_blocks_used", scheduler.kv_blocks_used);
    header(out, "inhouse_kv_cache_blocks_cached", "gauge", "Free KV cache blocks still holding a reusable prefix.");
    sample(out, "inhouse_kv_cache_blocks_cached", scheduler.kv_blocks_cached);
    header(out, "inhouse_kv_cache_blocks_free", "gauge", "KV cache blocks holding nothing.");
    sample(out, "inhouse_kv_cache_blocks_free", n_free);
    header(out, "inhouse_prefix_cache_hit_ratio", "gauge", "Prompt tokens found in the prefix cache / prompt tokens admitted.");
    const double hit_ratio = scheduler.prompt_tokens_total == 0
                                 ? 0.0
                                 : static_cast<double>(scheduler.prompt_tokens_cached) /
                                       static_cast<double>(scheduler.prompt_tokens_total);
    sample(out, "inhouse_prefix_cache_hit_ratio", hit_ratio);
    header(out, "inhouse_preemptions_total", "counter", "Sequences preempted when KV blocks ran out.");
    sample(out, "inhouse_preemptions_total", scheduler.preemptions);
    header(out, "inhouse_scheduler_steps_total", "counter", "Forward passes run by the scheduler.");
    sample(out, "inhouse_scheduler_steps_total", scheduler.steps);
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)), counts_(upper_bounds_.size() + 1, 0) {}

void Histogram::observe(double value) {
    const auto bucket = std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin();
    ++counts_[static_cast<std::size_t>(bucket)];
    sum_ += value;
    ++count_;
}

void Histogram::render(std::string& out, std::string_view name) const {
    std::uint64_t cumulative = 0;
    for (std::size_t bucket = 0; bucket < upper_bounds_.size(); ++bucket) {
        cumulative += counts_[bucket];
        fmt::format_to(std::back_inserter(out), "{}_bucket{{le=\"{}\"}} {}\n", name, upper_bounds_[bucket], cumulative);
    }
    fmt::format_to(std::back_inserter(out), "{}_bucket{{le=\"+Inf\"}} {}\n", name, count_);
    fmt::format_to(std::back_inserter(out), "{}_sum {}\n{}_count {}\n", name, sum_, name, count_);
}

Metrics::Metrics()
    : time_to_first_token_(kTimeToFirstTokenBounds),
      inter_token_latency_(kInterTokenBounds),
      request_duration_(kRequestDurationBounds) {}

void Metrics::count_request(std::string_view endpoint, int status) {
    const std::lock_guard lock(mutex_);
    ++requests_[{std::string(endpoint), status}];
}

void Metrics::add_prompt_tokens(std::int64_t n_tokens) {
    const std::lock_guard lock(mutex_);
    prompt_tokens_ += static_cast<std::uint64_t>(std::max<std::int64_t>(0, n_tokens));
}

void Metrics::add_generated_tokens(std::int64_t n_tokens) {
    const std::lock_guard lock(mutex_);
    generated_tokens_ += static_cast<std::uint64_t>(std::max<std::int64_t>(0, n_tokens));
}

void Metrics::observe_time_to_first_token(double seconds) {
    const std::lock_guard lock(mutex_);
    time_to_first_token_.observe(seconds);
}

void Metrics::observe_inter_token_latency(double seconds) {
    const std::lock_guard lock(mutex_);
    inter_token_latency_.observe(seconds);
}

void Metrics::observe_request_duration(double seconds) {
    const std::lock_guard lock(mutex_);
    request_duration_.observe(seconds);
}

std::string Metrics::render(const engine::SchedulerMetrics& scheduler) const {
    std::string out;
    const std::lock_guard lock(mutex_);
    header(out, "inhouse_requests_total", "counter", "HTTP requests by endpoint and status.");
    for (const auto& [key, count] : requests_) {
        fmt::format_to(std::back_inserter(out), "inhouse_requests_total{{endpoint=\"{}\",status=\"{}\"}} {}\n",
                       escape_label_value(key.first), key.second, count);
    }
    header(out, "inhouse_prompt_tokens_total", "counter", "Prompt tokens of completed requests.");
    sample(out, "inhouse_prompt_tokens_total", prompt_tokens_);
    header(out, "inhouse_generated_tokens_total", "counter", "Tokens generated for clients.");
    sample(out, "inhouse_generated_tokens_total", generated_tokens_);
    header(out, "inhouse_time_to_first_token_seconds", "histogram", "From submission to the first generated token.");
    time_to_first_token_.render(out, "inhouse_time_to_first_token_seconds");
    header(out, "inhouse_inter_token_latency_seconds", "histogram", "Between consecutive tokens of one completion.");
    inter_token_latency_.render(out, "inhouse_inter_token_latency_seconds");
    header(out, "inhouse_request_duration_seconds", "histogram", "From submission to the last token of a completion.");
    request_duration_.render(out, "inhouse_request_duration_seconds");
    scheduler_gauges(out, scheduler);
    return out;
}

std::string escape_label_value(std::string_view value) {
    std::string escaped;
    escaped.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            escaped += "\\\\";
        } else if (c == '"') {
            escaped += "\\\"";
        } else if (c == '\n') {
            escaped += "\\n";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

}  // namespace inhouse::server
