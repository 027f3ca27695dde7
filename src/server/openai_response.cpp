#include "server/openai_response.h"

#include <cmath>

namespace inhouse::server {

namespace {

using Json = nlohmann::json;

// JSON has no -inf; OpenAI reports -9999.0 for a token that cannot be sampled.
constexpr float kMinReportedLogprob = -9999.0f;

float reportable(float logprob) {
    return std::isfinite(logprob) ? logprob : kMinReportedLogprob;
}

Json byte_values(const std::string& token) {
    Json bytes = Json::array();
    for (const char byte : token) bytes.push_back(static_cast<int>(static_cast<unsigned char>(byte)));
    return bytes;
}

// Chat: {"content": [{"token", "logprob", "bytes", "top_logprobs": [{"token", "logprob", "bytes"}]}]}
Json chat_logprobs(const std::vector<TokenLogprobInfo>& tokens) {
    Json content = Json::array();
    for (const TokenLogprobInfo& info : tokens) {
        Json top = Json::array();
        for (const LogprobAlternative& alternative : info.top) {
            top.push_back({{"token", alternative.token},
                           {"logprob", reportable(alternative.logprob)},
                           {"bytes", byte_values(alternative.token)}});
        }
        content.push_back({{"token", info.token},
                           {"logprob", reportable(info.logprob)},
                           {"bytes", byte_values(info.token)},
                           {"top_logprobs", std::move(top)}});
    }
    return {{"content", std::move(content)}, {"refusal", nullptr}};
}

// Legacy completions: parallel arrays, top_logprobs as one {token: logprob} object per token.
Json text_logprobs(const std::vector<TokenLogprobInfo>& tokens) {
    Json token_texts = Json::array();
    Json token_logprobs = Json::array();
    Json top_logprobs = Json::array();
    Json text_offset = Json::array();
    for (const TokenLogprobInfo& info : tokens) {
        token_texts.push_back(info.token);
        token_logprobs.push_back(reportable(info.logprob));
        Json top = Json::object();
        for (const LogprobAlternative& alternative : info.top) top[alternative.token] = reportable(alternative.logprob);
        top_logprobs.push_back(std::move(top));
        text_offset.push_back(info.text_offset);
    }
    return {{"tokens", std::move(token_texts)},
            {"token_logprobs", std::move(token_logprobs)},
            {"top_logprobs", std::move(top_logprobs)},
            {"text_offset", std::move(text_offset)}};
}

Json finish_reason_json(const std::optional<sampling::FinishReason>& reason) {
    if (!reason) return nullptr;
    return std::string(sampling::to_string(*reason));
}

Json envelope(const ResponseIdentity& identity, std::string_view object) {
    return {{"id", identity.id}, {"object", object}, {"created", identity.created}, {"model", identity.model}};
}

}  // namespace

Json usage_json(const Usage& usage) {
    return {{"prompt_tokens", usage.prompt_tokens},
            {"completion_tokens", usage.completion_tokens},
            {"total_tokens", usage.prompt_tokens + usage.completion_tokens},
            {"prompt_tokens_details", {{"cached_tokens", usage.cached_tokens}}}};
}

Json chat_completion_response(const ResponseIdentity& identity, const std::vector<ChoiceOutput>& choices,
                              const Usage& usage) {
    Json result = envelope(identity, "chat.completion");
    Json choice_list = Json::array();
    for (const ChoiceOutput& choice : choices) {
        choice_list.push_back({{"index", choice.index},
                               {"message", {{"role", "assistant"}, {"content", choice.text}}},
                               {"logprobs", choice.logprobs ? chat_logprobs(*choice.logprobs) : Json(nullptr)},
                               {"finish_reason", finish_reason_json(choice.finish_reason)}});
    }
    result["choices"] = std::move(choice_list);
    result["usage"] = usage_json(usage);
    return result;
}

Json text_completion_response(const ResponseIdentity& identity, const std::vector<ChoiceOutput>& choices,
                              const Usage& usage) {
    Json result = envelope(identity, "text_completion");
    Json choice_list = Json::array();
    for (const ChoiceOutput& choice : choices) {
        choice_list.push_back({{"index", choice.index},
                               {"text", choice.text},
                               {"logprobs", choice.logprobs ? text_logprobs(*choice.logprobs) : Json(nullptr)},
                               {"finish_reason", finish_reason_json(choice.finish_reason)}});
    }
    result["choices"] = std::move(choice_list);
    result["usage"] = usage_json(usage);
    return result;
}

Json chat_role_chunk(const ResponseIdentity& identity, int index) {
    Json chunk = envelope(identity, "chat.completion.chunk");
    chunk["choices"] = Json::array({{{"index", index},
                                     {"delta", {{"role", "assistant"}, {"content", ""}}},
                                     {"logprobs", nullptr},
                                     {"finish_reason", nullptr}}});
    return chunk;
}

Json chat_content_chunk(const ResponseIdentity& identity, int index, const std::string& text,
                        const std::optional<std::vector<TokenLogprobInfo>>& logprobs) {
    Json chunk = envelope(identity, "chat.completion.chunk");
    chunk["choices"] = Json::array({{{"index", index},
                                     {"delta", {{"content", text}}},
                                     {"logprobs", logprobs ? chat_logprobs(*logprobs) : Json(nullptr)},
                                     {"finish_reason", nullptr}}});
    return chunk;
}

Json chat_finish_chunk(const ResponseIdentity& identity, int index, sampling::FinishReason reason) {
    Json chunk = envelope(identity, "chat.completion.chunk");
    chunk["choices"] = Json::array({{{"index", index},
                                     {"delta", Json::object()},
                                     {"logprobs", nullptr},
                                     {"finish_reason", std::string(sampling::to_string(reason))}}});
    return chunk;
}

Json text_chunk(const ResponseIdentity& identity, const ChoiceOutput& choice) {
    Json chunk = envelope(identity, "text_completion");
    chunk["choices"] = Json::array({{{"index", choice.index},
                                     {"text", choice.text},
                                     {"logprobs", choice.logprobs ? text_logprobs(*choice.logprobs) : Json(nullptr)},
                                     {"finish_reason", finish_reason_json(choice.finish_reason)}}});
    return chunk;
}

Json usage_chunk(const ResponseIdentity& identity, std::string_view object, const Usage& usage) {
    Json chunk = envelope(identity, object);
    chunk["choices"] = Json::array();
    chunk["usage"] = usage_json(usage);
    return chunk;
}

Json model_object(const std::string& name, std::int64_t created) {
    return {{"id", name}, {"object", "model"}, {"created", created}, {"owned_by", "inhouse"}};
}

Json model_list(const std::string& name, std::int64_t created) {
    return {{"object", "list"}, {"data", Json::array({model_object(name, created)})}};
}

std::string dump_json(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string sse_event(const Json& value) {
    return "data: " + dump_json(value) + "\n\n";
}

}  // namespace inhouse::server
