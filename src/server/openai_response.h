// Response bodies of the OpenAI API: chat.completion and text_completion objects, their
// streamed chunks (server-sent events), usage and logprobs in OpenAI's shapes, and the model
// list. Builders only format: the caller supplies ids, text and numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sampling/generation_state.h"

namespace inhouse::server {

struct LogprobAlternative {
    std::string token;  // the token's bytes (may be part of a UTF-8 character)
    float logprob = 0;  // natural log
};

struct TokenLogprobInfo {
    std::string token;
    float logprob = 0;
    std::vector<LogprobAlternative> top;
    std::size_t text_offset = 0;  // byte offset of the token in the choice's text (legacy API)
};

struct ChoiceOutput {
    int index = 0;
    std::string text;
    std::optional<sampling::FinishReason> finish_reason;
    std::optional<std::vector<TokenLogprobInfo>> logprobs;  // set when the request asked
};

struct Usage {
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    std::int64_t cached_tokens = 0;  // of prompt_tokens, reused from the prefix cache
};

// What every object of one response repeats.
struct ResponseIdentity {
    std::string id;        // "chatcmpl-…" or "cmpl-…"
    std::int64_t created;  // Unix seconds
    std::string model;
};

nlohmann::json usage_json(const Usage& usage);

// Non-streaming responses.
nlohmann::json chat_completion_response(const ResponseIdentity& identity, const std::vector<ChoiceOutput>& choices,
                                        const Usage& usage);
nlohmann::json text_completion_response(const ResponseIdentity& identity, const std::vector<ChoiceOutput>& choices,
                                        const Usage& usage);

// chat.completion.chunk objects, in the order a stream sends them per choice: the role, content
// deltas (with their tokens' logprobs when asked), then the finish reason with an empty delta.
nlohmann::json chat_role_chunk(const ResponseIdentity& identity, int index);
nlohmann::json chat_content_chunk(const ResponseIdentity& identity, int index, const std::string& text,
                                  const std::optional<std::vector<TokenLogprobInfo>>& logprobs);
nlohmann::json chat_finish_chunk(const ResponseIdentity& identity, int index, sampling::FinishReason reason);
// A text_completion chunk: text (maybe empty) and, on the last one, the finish reason.
nlohmann::json text_chunk(const ResponseIdentity& identity, const ChoiceOutput& choice);
// The final usage chunk of stream_options.include_usage: empty choices. `object` is
// "chat.completion.chunk" or "text_completion".
nlohmann::json usage_chunk(const ResponseIdentity& identity, std::string_view object, const Usage& usage);

// GET /v1/models and /v1/models/{id}.
nlohmann::json model_object(const std::string& name, std::int64_t created);
nlohmann::json model_list(const std::string& name, std::int64_t created);

// JSON text; invalid UTF-8 (a token that is part of a character) becomes U+FFFD, never a throw.
std::string dump_json(const nlohmann::json& value);
// "data: {json}\n\n"
std::string sse_event(const nlohmann::json& value);
inline constexpr std::string_view kSseDone = "data: [DONE]\n\n";

}  // namespace inhouse::server
