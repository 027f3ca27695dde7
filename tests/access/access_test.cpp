// API keys, the access database and the rate limiter, without a server: keys are random,
// well-formed and checked by hash; a revoked or altered key never authenticates; usage rows
// add up; the limiter's windows, Retry-After and quota caps follow the rules to the token.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "access/access_db.h"
#include "access/api_key.h"
#include "access/audit_log.h"
#include "access/rate_limiter.h"
#include "core/file_util.h"

namespace inhouse::access {
namespace {

class TempDir : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("access-test-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string path(const char* name) const { return (dir_ / name).string(); }
    std::filesystem::path dir_;
};

TEST(ApiKey, KeysAreRandomWellFormedAndParsedBack) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const GeneratedKey key = generate_api_key();
        EXPECT_TRUE(seen.insert(key.text).second);
        EXPECT_EQ(key.text.size(), 4u + 12 + 1 + 64);
        const auto parsed = parse_api_key(key.text);
        ASSERT_TRUE(parsed);
        EXPECT_EQ(parsed->id, key.id);
        EXPECT_EQ(hash_secret(key.salt, parsed->secret), key.hash);
    }
    for (const char* bad : {"", "ihk_", "sk-abc", "ihk_0123456789ab_0123", "IHK_0123456789ab_" "0000000000000000000000000000000000000000000000000000000000000000",
                            "ihk_0123456789AB_0000000000000000000000000000000000000000000000000000000000000000",
                            "ihk_0123456789ab-0000000000000000000000000000000000000000000000000000000000000000"}) {
        EXPECT_FALSE(parse_api_key(bad)) << bad;
    }
}

TEST(ApiKey, ComparisonNeedsEveryByte) {
    const GeneratedKey key = generate_api_key();
    KeyHash altered = key.hash;
    altered[31] ^= 1;
    EXPECT_TRUE(equal_in_constant_time(key.hash, key.hash));
    EXPECT_FALSE(equal_in_constant_time(key.hash, altered));
    EXPECT_FALSE(equal_in_constant_time(key.hash, std::span<const std::uint8_t>(key.hash).first(16)));
    EXPECT_TRUE(is_valid_key_name("team-a.prod_1"));
    EXPECT_FALSE(is_valid_key_name("a b"));
    EXPECT_FALSE(is_valid_key_name(std::string(65, 'a')));
}

using AccessDbTest = TempDir;

TEST_F(AccessDbTest, KeysAuthenticateUntilRevokedAndNamesAreUniqueAmongActiveKeys) {
    auto db = AccessDb::open(path("access.db"));
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    EXPECT_FALSE(*(*db)->has_keys());
    const auto key = (*db)->create_key("alice", {.requests_per_minute = 7, .tokens_per_minute = 0, .quota_tokens = 9});
    ASSERT_TRUE(key.ok());
    EXPECT_TRUE(*(*db)->has_keys());
    EXPECT_FALSE((*db)->create_key("alice", {}).ok());
    EXPECT_FALSE((*db)->create_key("no spaces", {}).ok());
    auto found = (*db)->authenticate(*key);
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->name, "alice");
    EXPECT_EQ((*found)->limits.requests_per_minute, 7);
    std::string altered = *key;
    altered.back() = altered.back() == '0' ? '1' : '0';
    EXPECT_FALSE((*db)->authenticate(altered)->has_value());
    EXPECT_FALSE((*db)->authenticate("Bearer nonsense")->has_value());
    ASSERT_TRUE((*db)->revoke_key("alice").ok());
    EXPECT_FALSE((*db)->authenticate(*key)->has_value());
    EXPECT_FALSE((*db)->revoke_key("alice").ok());
    EXPECT_TRUE(*(*db)->has_keys()) << "revoked keys keep auth on";
    EXPECT_TRUE((*db)->create_key("alice", {}).ok()) << "the name is free again";
    EXPECT_EQ((*db)->list_keys()->size(), 2u);
    // The file holds the hash, never the secret.
    const auto bytes = read_file(path("access.db"));
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(bytes->find(key->substr(17)), std::string::npos);
}

TEST_F(AccessDbTest, UsageRowsAddUpPerKeyAndSurviveReopening) {
    std::string key_id;
    {
        auto db = AccessDb::open(path("access.db"));
        ASSERT_TRUE(db.ok());
        const auto key = (*db)->create_key("bob", {});
        key_id = (*(*db)->authenticate(*key))->id;
        for (const auto outcome : {Outcome::Completed, Outcome::ClientGone, Outcome::Shutdown}) {
            ASSERT_TRUE((*db)->record_usage({.time_ms = 1000, .key_id = key_id, .key_name = "bob", .model = "m",
                                             .endpoint = "/v1/completions", .prompt_tokens = 10,
                                             .completion_tokens = 5, .outcome = outcome, .http_status = 200,
                                             .latency_ms = 3, .client = "127.0.0.1:1"})
                            .ok());
        }
    }
    auto db = AccessDb::open(path("access.db"));
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(*(*db)->tokens_used(key_id), 45);
    const auto totals = (*db)->usage_totals(0);
    ASSERT_TRUE(totals.ok());
    ASSERT_EQ(totals->size(), 1u);
    EXPECT_EQ((*totals)[0].requests, 3);
    EXPECT_EQ((*totals)[0].completion_tokens, 15);
    const auto records = (*db)->usage_records(0);
    ASSERT_EQ(records->size(), 3u);
    EXPECT_EQ((*records)[1].outcome, Outcome::ClientGone);
    EXPECT_TRUE((*db)->usage_totals(2000)->empty());
}

TEST_F(AccessDbTest, AnUnwritablePathIsNamed) {
    const auto db = AccessDb::open(path("missing-dir/access.db"));
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.error().to_string().find("missing-dir/access.db"), std::string::npos);
}

TEST(RateLimiter, RequestsPerMinuteRefuseWithTheSecondsUntilTheOldestAgesOut) {
    RateLimiter limiter;
    const KeyLimits limits{.requests_per_minute = 2, .tokens_per_minute = 0, .quota_tokens = 0};
    const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
    EXPECT_TRUE(limiter.admit("k", limits, 0, 5, 5, t0).admitted);
    EXPECT_TRUE(limiter.admit("k", limits, 0, 5, 5, t0 + std::chrono::seconds(10)).admitted);
    const auto refused = limiter.admit("k", limits, 0, 5, 5, t0 + std::chrono::seconds(20));
    EXPECT_FALSE(refused.admitted);
    EXPECT_EQ(refused.code, "rate_limit_exceeded");
    EXPECT_EQ(refused.retry_after_seconds, 40);
    EXPECT_TRUE(limiter.admit("other", limits, 0, 5, 5, t0 + std::chrono::seconds(20)).admitted) << "per key";
    EXPECT_TRUE(limiter.admit("k", limits, 0, 5, 5, t0 + std::chrono::seconds(60)).admitted);
}

TEST(RateLimiter, TokensPerMinuteCountEstimatesThenWhatWasUsed) {
    RateLimiter limiter;
    const KeyLimits limits{.requests_per_minute = 0, .tokens_per_minute = 100, .quota_tokens = 0};
    const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
    const auto too_big = limiter.admit("k", limits, 0, 20, 90, t0);
    EXPECT_FALSE(too_big.admitted);
    EXPECT_EQ(too_big.retry_after_seconds, 0) << "waiting cannot help";
    const auto first = limiter.admit("k", limits, 0, 10, 60, t0);
    ASSERT_TRUE(first.admitted);
    const auto second = limiter.admit("k", limits, 0, 10, 30, t0 + std::chrono::seconds(5));
    EXPECT_FALSE(second.admitted) << "70 estimated + 40 > 100";
    EXPECT_EQ(second.retry_after_seconds, 55);
    limiter.settle("k", first.ticket, 15);  // it stopped early
    EXPECT_TRUE(limiter.admit("k", limits, 0, 10, 30, t0 + std::chrono::seconds(6)).admitted);
}

TEST(RateLimiter, QuotaLowersTheAllowanceThenRefusesAndCountsRequestsInFlight) {
    RateLimiter limiter;
    const KeyLimits limits{.requests_per_minute = 0, .tokens_per_minute = 0, .quota_tokens = 100};
    const auto first = limiter.admit("k", limits, 30, 10, 500);
    ASSERT_TRUE(first.admitted);
    EXPECT_EQ(first.max_completion_tokens, 60) << "100 - 30 used - 10 prompt";
    const auto second = limiter.admit("k", limits, 30, 10, 500);
    EXPECT_FALSE(second.admitted) << "the first still holds the rest";
    EXPECT_EQ(second.code, "insufficient_quota");
    EXPECT_EQ(second.retry_after_seconds, 0);
    limiter.settle("k", first.ticket, 20);
    const auto third = limiter.admit("k", limits, 50, 10, 500);
    ASSERT_TRUE(third.admitted);
    EXPECT_EQ(third.max_completion_tokens, 40);
}

using AuditLogTest = TempDir;

TEST_F(AuditLogTest, OneJsonLinePerRequestWithContentOnlyWhenAsked) {
    for (const bool content : {false, true}) {
        const std::string file = path(content ? "with.jsonl" : "without.jsonl");
        {
            auto log = AuditLog::open(file, content);
            ASSERT_TRUE(log.ok());
            (*log)->write({.usage = {.time_ms = 1'764'000'000'123, .key_id = "id", .key_name = "alice", .model = "m",
                                     .endpoint = "/v1/completions", .prompt_tokens = 3, .completion_tokens = 4,
                                     .outcome = Outcome::Completed, .http_status = 200, .latency_ms = 9,
                                     .client = "10.0.0.1:5"},
                           .request_body = std::string("{\"prompt\": \"secret \xff\"}"),
                           .output_text = std::string("answer")});
        }
        const auto text = read_file(file);
        ASSERT_TRUE(text.ok());
        ASSERT_EQ(std::count(text->begin(), text->end(), '\n'), 1);
        const auto line = nlohmann::json::parse(*text);
        EXPECT_EQ(line["key"], "alice");
        EXPECT_EQ(line["time"], "2025-11-24T16:00:00.123Z");
        EXPECT_EQ(line["completion_tokens"], 4);
        EXPECT_EQ(line.contains("request"), content);
        EXPECT_EQ(line.contains("output"), content);
    }
}

}  // namespace
}  // namespace inhouse::access
