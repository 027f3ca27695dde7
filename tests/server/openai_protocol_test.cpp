// Request parsing of the OpenAI endpoints, without a model: every accepted form, and for every
// refusal its exact status and param.
#include "server/openai_protocol.h"

#include <gtest/gtest.h>

#include <string>

namespace inhouse::server {
namespace {

const std::string kMessages = R"("messages": [{"role": "user", "content": "Hi"}])";

std::string chat_body(const std::string& extra) {
    return "{" + kMessages + (extra.empty() ? "" : ", " + extra) + "}";
}

std::string text_body(const std::string& extra) {
    return R"({"prompt": "Once upon a time")" + (extra.empty() ? "" : ", " + extra) + "}";
}

ChatCompletionRequest parse_chat_ok(const std::string& body) {
    auto parsed = parse_chat_completion_request(body);
    EXPECT_TRUE(parsed.ok()) << body << " -> " << (parsed.ok() ? "" : parsed.error().message);
    return parsed.ok() ? std::move(parsed).value() : ChatCompletionRequest{};
}

TextCompletionRequest parse_text_ok(const std::string& body) {
    auto parsed = parse_text_completion_request(body);
    EXPECT_TRUE(parsed.ok()) << body << " -> " << (parsed.ok() ? "" : parsed.error().message);
    return parsed.ok() ? std::move(parsed).value() : TextCompletionRequest{};
}

struct Refusal {
    std::string body;
    std::optional<std::string> param;
};

void expect_chat_refusal(const Refusal& refusal) {
    auto parsed = parse_chat_completion_request(refusal.body);
    ASSERT_FALSE(parsed.ok()) << refusal.body;
    EXPECT_EQ(parsed.error().status, 400) << refusal.body;
    EXPECT_EQ(parsed.error().type, "invalid_request_error") << refusal.body;
    EXPECT_EQ(parsed.error().param, refusal.param) << refusal.body << " -> " << parsed.error().message;
}

void expect_text_refusal(const Refusal& refusal) {
    auto parsed = parse_text_completion_request(refusal.body);
    ASSERT_FALSE(parsed.ok()) << refusal.body;
    EXPECT_EQ(parsed.error().status, 400) << refusal.body;
    EXPECT_EQ(parsed.error().param, refusal.param) << refusal.body << " -> " << parsed.error().message;
}

TEST(ChatCompletionRequest, MinimalRequestGetsTheDefaults) {
    const auto request = parse_chat_ok(chat_body(""));
    ASSERT_EQ(request.messages.size(), 1u);
    EXPECT_EQ(request.messages[0].role, "user");
    EXPECT_EQ(request.messages[0].content, "Hi");
    EXPECT_FALSE(request.options.model.has_value());
    EXPECT_EQ(request.options.n, 1);
    EXPECT_FALSE(request.options.stream);
    EXPECT_FALSE(request.options.params.max_tokens.has_value());
    EXPECT_FLOAT_EQ(request.options.params.temperature, 1.0f);
    EXPECT_FALSE(request.options.params.logprobs);
}

TEST(ChatCompletionRequest, ReadsEverySupportedField) {
    const auto request = parse_chat_ok(chat_body(
        R"("model": "smollm2", "max_tokens": 7, "temperature": 0.5, "top_p": 0.9, "n": 3,
           "stop": ["a", "b"], "seed": 42, "presence_penalty": 0.5, "frequency_penalty": -1,
           "logit_bias": {"15": -100, "7": 2.5}, "logprobs": true, "top_logprobs": 4,
           "stream": true, "stream_options": {"include_usage": true}, "user": "u1",
           "response_format": {"type": "text"}, "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.1,
           "unknown_field": {"ignored": true})"));
    const auto& options = request.options;
    EXPECT_EQ(options.model, "smollm2");
    EXPECT_EQ(options.params.max_tokens, 7);
    EXPECT_FLOAT_EQ(options.params.temperature, 0.5f);
    EXPECT_FLOAT_EQ(options.params.top_p, 0.9f);
    EXPECT_EQ(options.n, 3);
    EXPECT_EQ(options.params.stop, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(options.params.seed, 42u);
    EXPECT_FLOAT_EQ(options.params.presence_penalty, 0.5f);
    EXPECT_FLOAT_EQ(options.params.frequency_penalty, -1.0f);
    EXPECT_EQ(options.params.logit_bias.size(), 2u);
    EXPECT_FLOAT_EQ(options.params.logit_bias.at(15), -100.0f);
    EXPECT_FLOAT_EQ(options.params.logit_bias.at(7), 2.5f);
    EXPECT_TRUE(options.params.logprobs);
    EXPECT_EQ(options.params.top_logprobs, 4);
    EXPECT_TRUE(options.stream);
    EXPECT_TRUE(options.include_usage);
    EXPECT_EQ(options.user, "u1");
    EXPECT_EQ(options.params.top_k, 40);
    EXPECT_FLOAT_EQ(options.params.min_p, 0.05f);
    EXPECT_FLOAT_EQ(options.params.repetition_penalty, 1.1f);
}

TEST(ChatCompletionRequest, MaxCompletionTokensWinsOverMaxTokens) {
    EXPECT_EQ(parse_chat_ok(chat_body(R"("max_completion_tokens": 5)")).options.params.max_tokens, 5);
    EXPECT_EQ(parse_chat_ok(chat_body(R"("max_tokens": 9, "max_completion_tokens": 5)")).options.params.max_tokens, 5);
}

TEST(ChatCompletionRequest, NullMeansAbsent) {
    const auto request = parse_chat_ok(chat_body(R"("max_tokens": null, "stop": null, "seed": null, "model": null)"));
    EXPECT_FALSE(request.options.params.max_tokens.has_value());
    EXPECT_TRUE(request.options.params.stop.empty());
    EXPECT_FALSE(request.options.params.seed.has_value());
}

TEST(ChatCompletionRequest, StopAsOneString) {
    EXPECT_EQ(parse_chat_ok(chat_body(R"("stop": "\n")")).options.params.stop, (std::vector<std::string>{"\n"}));
}

TEST(ChatCompletionRequest, IntegralFloatCountsAsInteger) {
    EXPECT_EQ(parse_chat_ok(chat_body(R"("max_tokens": 8.0)")).options.params.max_tokens, 8);
}

TEST(ChatCompletionRequest, NegativeSeedIsAccepted) {
    EXPECT_TRUE(parse_chat_ok(chat_body(R"("seed": -1)")).options.params.seed.has_value());
}

TEST(ChatCompletionRequest, RolesAndContentForms) {
    const auto request = parse_chat_ok(R"({"messages": [
        {"role": "developer", "content": "Be brief."},
        {"role": "system", "content": "S"},
        {"role": "user", "content": [{"type": "text", "text": "one"}, {"type": "text", "text": "two"}]},
        {"role": "assistant", "content": null},
        {"role": "user", "content": "", "name": "ignored"}]})");
    ASSERT_EQ(request.messages.size(), 5u);
    EXPECT_EQ(request.messages[0].role, "system");
    EXPECT_EQ(request.messages[0].content, "Be brief.");
    EXPECT_EQ(request.messages[1].role, "system");
    EXPECT_EQ(request.messages[2].content, "one\ntwo");
    EXPECT_EQ(request.messages[3].role, "assistant");
    EXPECT_EQ(request.messages[3].content, "");
    EXPECT_EQ(request.messages[4].content, "");
}

TEST(ChatCompletionRequest, RejectsBodiesThatAreNotJsonObjects) {
    for (const std::string body : {"", "not json", "{\"messages\": [", "[]", "42", "\"text\"", "null"}) {
        auto parsed = parse_chat_completion_request(body);
        ASSERT_FALSE(parsed.ok()) << body;
        EXPECT_EQ(parsed.error().status, 400) << body;
        EXPECT_EQ(parsed.error().code, "invalid_json") << body;
        EXPECT_FALSE(parsed.error().param.has_value()) << body;
    }
}

TEST(ChatCompletionRequest, RejectsBadMessages) {
    const Refusal refusals[] = {
        {"{}", "messages"},
        {R"({"messages": null})", "messages"},
        {R"({"messages": []})", "messages"},
        {R"({"messages": "hi"})", "messages"},
        {R"({"messages": ["hi"]})", "messages"},
        {R"({"messages": [{"content": "hi"}]})", "messages"},
        {R"({"messages": [{"role": 3, "content": "hi"}]})", "messages"},
        {R"({"messages": [{"role": "user", "content": "a"}, {"role": "tool", "content": "b"}]})", "messages"},
        {R"({"messages": [{"role": "wizard", "content": "hi"}]})", "messages"},
        {R"({"messages": [{"role": "user"}]})", "messages"},
        {R"({"messages": [{"role": "user", "content": null}]})", "messages"},
        {R"({"messages": [{"role": "user", "content": 5}]})", "messages"},
        {R"({"messages": [{"role": "user", "content": {"text": "x"}}]})", "messages"},
        {R"({"messages": [{"role": "user", "content": ["x"]}]})", "messages"},
        {R"({"messages": [{"role": "user", "content": [{"text": "x"}]}]})", "messages"},
        {R"({"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}]})",
         "messages"},
        {R"({"messages": [{"role": "user", "content": [{"type": "text"}]}]})", "messages"},
        {R"({"messages": [{"role": "user", "content": [{"type": "text", "text": 1}]}]})", "messages"},
    };
    for (const Refusal& refusal : refusals) expect_chat_refusal(refusal);
}

TEST(ChatCompletionRequest, RejectsWrongTypesAndRanges) {
    const Refusal refusals[] = {
        {chat_body(R"("model": 3)"), "model"},
        {chat_body(R"("temperature": "hot")"), "temperature"},
        {chat_body(R"("temperature": -0.1)"), "temperature"},
        {chat_body(R"("temperature": 2.5)"), "temperature"},
        {chat_body(R"("top_p": 0)"), "top_p"},
        {chat_body(R"("top_p": 1.5)"), "top_p"},
        {chat_body(R"("top_p": true)"), "top_p"},
        {chat_body(R"("n": 0)"), "n"},
        {chat_body(R"("n": 129)"), "n"},
        {chat_body(R"("n": 1.5)"), "n"},
        {chat_body(R"("n": "2")"), "n"},
        {chat_body(R"("max_tokens": 0)"), "max_tokens"},
        {chat_body(R"("max_tokens": -5)"), "max_tokens"},
        {chat_body(R"("max_tokens": "10")"), "max_tokens"},
        {chat_body(R"("max_tokens": 1e12)"), "max_tokens"},
        {chat_body(R"("max_completion_tokens": 0)"), "max_completion_tokens"},
        {chat_body(R"("presence_penalty": 2.1)"), "presence_penalty"},
        {chat_body(R"("frequency_penalty": -3)"), "frequency_penalty"},
        {chat_body(R"("seed": "abc")"), "seed"},
        {chat_body(R"("seed": 1.5)"), "seed"},
        {chat_body(R"("seed": 18446744073709551615)"), "seed"},
        {chat_body(R"("stop": 5)"), "stop"},
        {chat_body(R"("stop": ["a", 5])"), "stop"},
        {chat_body(R"("logit_bias": [1, 2])"), "logit_bias"},
        {chat_body(R"("logit_bias": {"abc": 1})"), "logit_bias"},
        {chat_body(R"("logit_bias": {"-3": 1})"), "logit_bias"},
        {chat_body(R"("logit_bias": {"12x": 1})"), "logit_bias"},
        {chat_body(R"("logit_bias": {"12": 101})"), "logit_bias"},
        {chat_body(R"("logit_bias": {"12": "1"})"), "logit_bias"},
        {chat_body(R"("logprobs": 1)"), "logprobs"},
        {chat_body(R"("logprobs": true, "top_logprobs": 21)"), "top_logprobs"},
        {chat_body(R"("logprobs": true, "top_logprobs": -1)"), "top_logprobs"},
        {chat_body(R"("top_logprobs": 3)"), "top_logprobs"},
        {chat_body(R"("stream": "yes")"), "stream"},
        {chat_body(R"("stream_options": {"include_usage": true})"), "stream_options"},
        {chat_body(R"("stream": true, "stream_options": true)"), "stream_options"},
        {chat_body(R"("stream": true, "stream_options": {"include_usage": 1})"), "stream_options.include_usage"},
        {chat_body(R"("user": 7)"), "user"},
        {chat_body(R"("response_format": "json")"), "response_format"},
        {chat_body(R"("response_format": {"type": "json_schema", "json_schema": {}})"), "response_format"},
        {chat_body(R"("response_format": {"type": "yaml"})"), "response_format"},
        {chat_body(R"("response_format": {})"), "response_format"},
        {chat_body(R"("top_k": -1)"), "top_k"},
        {chat_body(R"("min_p": 1.5)"), "min_p"},
        {chat_body(R"("repeat_penalty": 0)"), "repeat_penalty"},
        {chat_body(R"("repeat_penalty": -1)"), "repeat_penalty"},
    };
    for (const Refusal& refusal : refusals) expect_chat_refusal(refusal);
}

TEST(ChatCompletionRequest, MessageErrorsNameThePlaceInTheirText) {
    auto parsed = parse_chat_completion_request(
        R"({"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": [{"type": "image_url"}]}]})");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().param, "messages");
    EXPECT_NE(parsed.error().message.find("messages[1].content[0]"), std::string::npos) << parsed.error().message;
}

TEST(ChatCompletionRequest, JsonObjectTurnsOnJsonModeAndASchemaIsRefused) {
    auto parsed = parse_chat_completion_request(chat_body(R"("response_format": {"type": "json_object"})"));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_TRUE(parsed.value().options.params.json_object);
    auto plain = parse_chat_completion_request(chat_body(R"("response_format": {"type": "text"})"));
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(plain.value().options.params.json_object);
    auto schema = parse_chat_completion_request(chat_body(R"("response_format": {"type": "json_schema"})"));
    ASSERT_FALSE(schema.ok());
    EXPECT_NE(schema.error().message.find("not supported"), std::string::npos) << schema.error().message;
}

TEST(ChatCompletionRequest, ErrorsNameTheFirstProblem) {
    auto parsed = parse_chat_completion_request(R"({"messages": [], "temperature": 9})");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().param, "messages");
}

TEST(ChatCompletionRequest, DeepNestingIsAnErrorNotACrash) {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    auto parsed = parse_chat_completion_request("{\"messages\": " + deep + "}");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().status, 400);
}

TEST(TextCompletionRequest, DefaultsFollowOpenAI) {
    const auto request = parse_text_ok(text_body(""));
    EXPECT_EQ(request.prompt, "Once upon a time");
    EXPECT_EQ(request.options.params.max_tokens, kDefaultCompletionMaxTokens);
    EXPECT_FALSE(request.options.params.logprobs);
}

TEST(TextCompletionRequest, PromptAsArrayOfOneString) {
    EXPECT_EQ(parse_text_ok(R"({"prompt": ["abc"]})").prompt, "abc");
}

TEST(TextCompletionRequest, LegacyLogprobsIsACount) {
    const auto request = parse_text_ok(text_body(R"("logprobs": 3, "max_tokens": 4, "echo": false)"));
    EXPECT_TRUE(request.options.params.logprobs);
    EXPECT_EQ(request.options.params.top_logprobs, 3);
    EXPECT_EQ(request.options.params.max_tokens, 4);
    const auto zero = parse_text_ok(text_body(R"("logprobs": 0)"));
    EXPECT_TRUE(zero.options.params.logprobs);
    EXPECT_EQ(zero.options.params.top_logprobs, 0);
}

TEST(TextCompletionRequest, RejectsBadFields) {
    const Refusal refusals[] = {
        {"{}", "prompt"},
        {R"({"prompt": null})", "prompt"},
        {R"({"prompt": 5})", "prompt"},
        {R"({"prompt": []})", "prompt"},
        {R"({"prompt": ["a", "b"]})", "prompt"},
        {R"({"prompt": [1, 2, 3]})", "prompt"},
        {text_body(R"("echo": true)"), "echo"},
        {text_body(R"("echo": "no")"), "echo"},
        {text_body(R"("logprobs": 6)"), "logprobs"},
        {text_body(R"("logprobs": true)"), "logprobs"},
        {text_body(R"("max_tokens": 0)"), "max_tokens"},
        {text_body(R"("temperature": 3)"), "temperature"},
        {text_body(R"("n": 1000)"), "n"},
        {text_body(R"("stream_options": {"include_usage": true})"), "stream_options"},
    };
    for (const Refusal& refusal : refusals) expect_text_refusal(refusal);
}

}  // namespace
}  // namespace inhouse::server
