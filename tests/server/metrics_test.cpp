// The Prometheus text format of the server's metrics.
#include "server/metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace inhouse::server {
namespace {

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(Metrics, CountersByEndpointAndStatus) {
    Metrics metrics;
    metrics.count_request("/v1/chat/completions", 200);
    metrics.count_request("/v1/chat/completions", 200);
    metrics.count_request("/v1/chat/completions", 400);
    metrics.add_prompt_tokens(12);
    metrics.add_generated_tokens(30);
    const std::string text = metrics.render({});
    EXPECT_TRUE(has_line(text, "# TYPE inhouse_requests_total counter")) << text;
    EXPECT_TRUE(has_line(text, R"(inhouse_requests_total{endpoint="/v1/chat/completions",status="200"} 2)")) << text;
    EXPECT_TRUE(has_line(text, R"(inhouse_requests_total{endpoint="/v1/chat/completions",status="400"} 1)")) << text;
    EXPECT_TRUE(has_line(text, "inhouse_prompt_tokens_total 12")) << text;
    EXPECT_TRUE(has_line(text, "inhouse_generated_tokens_total 30")) << text;
}

TEST(Metrics, HistogramBucketsAreCumulative) {
    Histogram histogram({0.1, 1, 10});
    histogram.observe(0.05);
    histogram.observe(0.1);  // a bound is inclusive ("le")
    histogram.observe(5);
    histogram.observe(50);
    std::string text;
    histogram.render(text, "x_seconds");
    EXPECT_EQ(text,
              "x_seconds_bucket{le=\"0.1\"} 2\n"
              "x_seconds_bucket{le=\"1\"} 2\n"
              "x_seconds_bucket{le=\"10\"} 3\n"
              "x_seconds_bucket{le=\"+Inf\"} 4\n"
              "x_seconds_sum 55.15\n"
              "x_seconds_count 4\n");
}

TEST(Metrics, LatencyHistogramsAreExposed) {
    Metrics metrics;
    metrics.observe_time_to_first_token(0.2);
    metrics.observe_inter_token_latency(0.02);
    metrics.observe_request_duration(3);
    const std::string text = metrics.render({});
    EXPECT_TRUE(has_line(text, "# TYPE inhouse_time_to_first_token_seconds histogram"));
    EXPECT_TRUE(has_line(text, "inhouse_time_to_first_token_seconds_count 1"));
    EXPECT_TRUE(has_line(text, R"(inhouse_time_to_first_token_seconds_bucket{le="0.25"} 1)"));
    EXPECT_TRUE(has_line(text, R"(inhouse_time_to_first_token_seconds_bucket{le="0.1"} 0)"));
    EXPECT_TRUE(has_line(text, "inhouse_inter_token_latency_seconds_count 1"));
    EXPECT_TRUE(has_line(text, "inhouse_request_duration_seconds_sum 3"));
}

TEST(Metrics, SchedulerGaugesAtScrapeTime) {
    engine::SchedulerMetrics scheduler;
    scheduler.waiting = 3;
    scheduler.running = 2;
    scheduler.kv_blocks_total = 100;
    scheduler.kv_blocks_used = 40;
    scheduler.kv_blocks_cached = 10;
    scheduler.last_batch_tokens = 17;
    scheduler.prompt_tokens_total = 200;
    scheduler.prompt_tokens_cached = 50;
    scheduler.preemptions = 4;
    const std::string text = Metrics().render(scheduler);
    EXPECT_TRUE(has_line(text, "inhouse_queue_depth 3")) << text;
    EXPECT_TRUE(has_line(text, "inhouse_running_sequences 2"));
    EXPECT_TRUE(has_line(text, "inhouse_last_batch_tokens 17"));
    EXPECT_TRUE(has_line(text, "inhouse_kv_cache_blocks_used 40"));
    EXPECT_TRUE(has_line(text, "inhouse_kv_cache_blocks_cached 10"));
    EXPECT_TRUE(has_line(text, "inhouse_kv_cache_blocks_free 50"));
    EXPECT_TRUE(has_line(text, "inhouse_prefix_cache_hit_ratio 0.25"));
    EXPECT_TRUE(has_line(text, "inhouse_preemptions_total 4"));
}

TEST(Metrics, EveryLineIsACommentOrASample) {
    Metrics metrics;
    metrics.count_request("other", 404);
    const std::string text = metrics.render({});
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        const std::string line = text.substr(start, end - start);
        EXPECT_FALSE(line.empty());
        if (!line.starts_with("# HELP ") && !line.starts_with("# TYPE ")) {
            EXPECT_TRUE(line.starts_with("inhouse_")) << line;
            EXPECT_NE(line.rfind(' '), std::string::npos) << line;
        }
        start = end + 1;
    }
}

TEST(Metrics, LabelValuesAreEscaped) {
    EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace inhouse::server
