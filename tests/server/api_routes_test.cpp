// Routing before the model is attached (and while draining): /health answers, /ready and the
// completion endpoints say 503, /metrics and /v1/models still work.
#include "server/api_routes.h"

#include <gtest/gtest.h>

namespace inhouse::server {
namespace {

HttpReply reply_of(RouteResult result) {
    EXPECT_TRUE(std::holds_alternative<HttpReply>(result));
    return std::holds_alternative<HttpReply>(result) ? std::get<HttpReply>(std::move(result)) : HttpReply{};
}

class UnloadedServer : public ::testing::Test {
protected:
    ServerState state_{ServerConfig{}, ServedModel{.name = "smollm2", .created = 1}};
};

TEST_F(UnloadedServer, WhileLoadingOnlyReadinessAndCompletionsWait) {
    EXPECT_EQ(reply_of(route_request(state_, "GET", "/health", "")).status, 200);
    const HttpReply ready = reply_of(route_request(state_, "GET", "/ready", ""));
    EXPECT_EQ(ready.status, 503);
    EXPECT_NE(ready.body.find("loading"), std::string::npos) << ready.body;
    EXPECT_EQ(reply_of(route_request(state_, "GET", "/metrics", "")).status, 200);
    EXPECT_EQ(reply_of(route_request(state_, "GET", "/v1/models", "")).status, 200);
    const HttpReply chat = reply_of(route_request(
        state_, "POST", "/v1/chat/completions", R"({"messages": [{"role": "user", "content": "hi"}]})"));
    EXPECT_EQ(chat.status, 503);
    EXPECT_NE(chat.body.find("\"error\""), std::string::npos) << chat.body;
    EXPECT_EQ(reply_of(route_request(state_, "POST", "/v1/completions", R"({"prompt": "hi"})")).status, 503);
    // Routing errors do not wait for the model.
    EXPECT_EQ(reply_of(route_request(state_, "GET", "/nowhere", "")).status, 404);
    EXPECT_EQ(reply_of(route_request(state_, "GET", "/v1/completions", "")).status, 405);
}

TEST_F(UnloadedServer, WhileDrainingReadinessSaysShuttingDown) {
    state_.set_phase(ServerState::Phase::Draining);
    const HttpReply ready = reply_of(route_request(state_, "GET", "/ready", ""));
    EXPECT_EQ(ready.status, 503);
    EXPECT_NE(ready.body.find("shutting down"), std::string::npos) << ready.body;
}

}  // namespace
}  // namespace inhouse::server
