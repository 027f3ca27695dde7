// The server's counters and latency histograms in Prometheus' text exposition format
// (version 0.0.4), plus the scheduler's gauges read at scrape time. Thread-safe: requests
// record from the I/O threads while /metrics renders.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/scheduler.h"

namespace inhouse::server {

// Cumulative buckets with fixed upper bounds (seconds), as Prometheus histograms are.
class Histogram {
public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double value);
    // "name_bucket{le=…} n" lines, then name_sum and name_count.
    void render(std::string& out, std::string_view name) const;

private:
    std::vector<double> upper_bounds_;
    std::vector<std::uint64_t> counts_;  // [upper_bounds_.size() + 1]: the last is +Inf
    double sum_ = 0;
    std::uint64_t count_ = 0;
};

class Metrics {
public:
    Metrics();

    // `endpoint` is a route ("/v1/chat/completions"), or "other" for unknown paths, so that
    // arbitrary client paths cannot grow the label set.
    void count_request(std::string_view endpoint, int status);
    void add_prompt_tokens(std::int64_t n_tokens);
    void add_generated_tokens(std::int64_t n_tokens);
    void observe_time_to_first_token(double seconds);
    void observe_inter_token_latency(double seconds);
    void observe_request_duration(double seconds);

    // The whole exposition; `scheduler` supplies the gauges.
    std::string render(const engine::SchedulerMetrics& scheduler) const;

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;  // (endpoint, status) → count
    std::uint64_t prompt_tokens_ = 0;
    std::uint64_t generated_tokens_ = 0;
    Histogram time_to_first_token_;
    Histogram inter_token_latency_;
    Histogram request_duration_;
};

// A label value with \, " and newline escaped as the format requires.
std::string escape_label_value(std::string_view value);

}  // namespace inhouse::server
