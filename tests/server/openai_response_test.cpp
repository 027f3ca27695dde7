// Response bodies and stream chunks in OpenAI's shapes.
#include "server/openai_response.h"

#include <gtest/gtest.h>

namespace inhouse::server {
namespace {

const ResponseIdentity kIdentity{.id = "chatcmpl-1", .created = 1700000000, .model = "smollm2"};

TEST(OpenAIResponse, ChatCompletionObject) {
    const std::vector<ChoiceOutput> choices = {
        {.index = 0, .text = "Hello", .finish_reason = sampling::FinishReason::Stop, .logprobs = std::nullopt},
        {.index = 1, .text = "Hi", .finish_reason = sampling::FinishReason::Length, .logprobs = std::nullopt},
    };
    const auto json = chat_completion_response(kIdentity, choices, {.prompt_tokens = 10, .completion_tokens = 7, .cached_tokens = 4});
    EXPECT_EQ(json["id"], "chatcmpl-1");
    EXPECT_EQ(json["object"], "chat.completion");
    EXPECT_EQ(json["created"], 1700000000);
    EXPECT_EQ(json["model"], "smollm2");
    ASSERT_EQ(json["choices"].size(), 2u);
    EXPECT_EQ(json["choices"][0]["index"], 0);
    EXPECT_EQ(json["choices"][0]["message"]["role"], "assistant");
    EXPECT_EQ(json["choices"][0]["message"]["content"], "Hello");
    EXPECT_EQ(json["choices"][0]["finish_reason"], "stop");
    EXPECT_TRUE(json["choices"][0]["logprobs"].is_null());
    EXPECT_EQ(json["choices"][1]["finish_reason"], "length");
    EXPECT_EQ(json["usage"]["prompt_tokens"], 10);
    EXPECT_EQ(json["usage"]["completion_tokens"], 7);
    EXPECT_EQ(json["usage"]["total_tokens"], 17);
    EXPECT_EQ(json["usage"]["prompt_tokens_details"]["cached_tokens"], 4);
}

TEST(OpenAIResponse, ChatLogprobsHaveTokenBytesAndAlternatives) {
    const std::vector<TokenLogprobInfo> logprobs = {
        {.token = "Hi", .logprob = -0.5f, .top = {{"Hi", -0.5f}, {"Hey", -1.5f}}, .text_offset = 0},
        {.token = "\xE2\x82", .logprob = -std::numeric_limits<float>::infinity(), .top = {}, .text_offset = 2},
    };
    const ChoiceOutput choice{.index = 0, .text = "Hi", .finish_reason = sampling::FinishReason::Stop, .logprobs = logprobs};
    const auto json = chat_completion_response(kIdentity, {choice}, {});
    const auto& content = json["choices"][0]["logprobs"]["content"];
    ASSERT_EQ(content.size(), 2u);
    EXPECT_EQ(content[0]["token"], "Hi");
    EXPECT_FLOAT_EQ(content[0]["logprob"].get<float>(), -0.5f);
    EXPECT_EQ(content[0]["bytes"], nlohmann::json::array({72, 105}));
    ASSERT_EQ(content[0]["top_logprobs"].size(), 2u);
    EXPECT_EQ(content[0]["top_logprobs"][1]["token"], "Hey");
    EXPECT_EQ(content[0]["top_logprobs"][1]["bytes"], nlohmann::json::array({72, 101, 121}));
    // -inf has no JSON form; the bytes of a partial character stay exact.
    EXPECT_FLOAT_EQ(content[1]["logprob"].get<float>(), -9999.0f);
    EXPECT_EQ(content[1]["bytes"], nlohmann::json::array({0xE2, 0x82}));
    // Dumping a partial UTF-8 token does not throw.
    const std::string text = dump_json(json);
    EXPECT_NE(text.find("\"bytes\":[226,130]"), std::string::npos);
}

TEST(OpenAIResponse, TextCompletionLogprobsUseLegacyArrays) {
    const std::vector<TokenLogprobInfo> logprobs = {
        {.token = " a", .logprob = -0.25f, .top = {{" a", -0.25f}, {" b", -2.0f}}, .text_offset = 0},
        {.token = " c", .logprob = -1.0f, .top = {{" c", -1.0f}}, .text_offset = 2},
    };
    const ChoiceOutput choice{.index = 0, .text = " a c", .finish_reason = sampling::FinishReason::Length, .logprobs = logprobs};
    const ResponseIdentity identity{.id = "cmpl-1", .created = 1, .model = "m"};
    const auto json = text_completion_response(identity, {choice}, {.prompt_tokens = 3, .completion_tokens = 2, .cached_tokens = 0});
    EXPECT_EQ(json["object"], "text_completion");
    EXPECT_EQ(json["choices"][0]["text"], " a c");
    EXPECT_EQ(json["choices"][0]["finish_reason"], "length");
    const auto& lp = json["choices"][0]["logprobs"];
    EXPECT_EQ(lp["tokens"], nlohmann::json::array({" a", " c"}));
    EXPECT_EQ(lp["token_logprobs"].size(), 2u);
    EXPECT_FLOAT_EQ(lp["top_logprobs"][0][" b"].get<float>(), -2.0f);
    EXPECT_EQ(lp["text_offset"], nlohmann::json::array({0, 2}));
}

TEST(OpenAIResponse, ChatStreamChunks) {
    const auto role = chat_role_chunk(kIdentity, 1);
    EXPECT_EQ(role["object"], "chat.completion.chunk");
    EXPECT_EQ(role["choices"][0]["index"], 1);
    EXPECT_EQ(role["choices"][0]["delta"]["role"], "assistant");
    EXPECT_TRUE(role["choices"][0]["finish_reason"].is_null());

    const auto content = chat_content_chunk(kIdentity, 0, "Hel", std::nullopt);
    EXPECT_EQ(content["choices"][0]["delta"]["content"], "Hel");
    EXPECT_FALSE(content["choices"][0]["delta"].contains("role"));
    EXPECT_TRUE(content["choices"][0]["logprobs"].is_null());

    const auto finish = chat_finish_chunk(kIdentity, 0, sampling::FinishReason::Length);
    EXPECT_TRUE(finish["choices"][0]["delta"].empty());
    EXPECT_EQ(finish["choices"][0]["finish_reason"], "length");

    const auto usage = usage_chunk(kIdentity, "chat.completion.chunk", {.prompt_tokens = 2, .completion_tokens = 3, .cached_tokens = 0});
    EXPECT_TRUE(usage["choices"].is_array());
    EXPECT_TRUE(usage["choices"].empty());
    EXPECT_EQ(usage["usage"]["total_tokens"], 5);
}

TEST(OpenAIResponse, TextStreamChunk) {
    const ChoiceOutput last{.index = 2, .text = "", .finish_reason = sampling::FinishReason::Stop, .logprobs = std::nullopt};
    const auto chunk = text_chunk({.id = "cmpl-9", .created = 5, .model = "m"}, last);
    EXPECT_EQ(chunk["object"], "text_completion");
    EXPECT_EQ(chunk["choices"][0]["index"], 2);
    EXPECT_EQ(chunk["choices"][0]["finish_reason"], "stop");
}

TEST(OpenAIResponse, ServerSentEventFraming) {
    EXPECT_EQ(sse_event({{"a", 1}}), "data: {\"a\":1}\n\n");
    EXPECT_EQ(kSseDone, "data: [DONE]\n\n");
}

TEST(OpenAIResponse, ModelList) {
    const auto list = model_list("smollm2", 123);
    EXPECT_EQ(list["object"], "list");
    ASSERT_EQ(list["data"].size(), 1u);
    EXPECT_EQ(list["data"][0]["id"], "smollm2");
    EXPECT_EQ(list["data"][0]["object"], "model");
    EXPECT_EQ(list["data"][0]["created"], 123);
    EXPECT_EQ(list["data"][0]["owned_by"], "inhouse");
}

}  // namespace
}  // namespace inhouse::server
