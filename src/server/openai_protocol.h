// Requests of the OpenAI API (POST /v1/chat/completions and /v1/completions) parsed and checked
// into plain structs. Unknown fields are ignored, null counts as absent, and every wrong type
// or range is a 400 naming the field. Sampling ranges the sampler itself checks (vocabulary
// ids, stop-string limits) are left to sampling::validate once the model is known.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/chat_template.h"
#include "sampling/sampling_params.h"
#include "server/api_error.h"

namespace inhouse::server {

// What both endpoints share.
struct CompletionOptions {
    std::optional<std::string> model;   // absent: the served model
    sampling::SamplingParams params;    // end_of_generation_ids left empty (the model's)
    int n = 1;                          // choices, 1..kMaxChoices (and the server's limit)
    bool stream = false;
    bool include_usage = false;         // stream_options.include_usage
    // llama.cpp's server extension: generate max_tokens tokens even past end-of-sequence
    // (load tests need fixed output lengths).
    bool ignore_eos = false;
    std::optional<std::string> user;
};

struct ChatCompletionRequest {
    CompletionOptions options;
    // Roles are system, user or assistant ("developer" arrives as system); text parts of an
    // array content are joined with "\n".
    std::vector<chat::ChatMessage> messages;
};

struct TextCompletionRequest {
    CompletionOptions options;
    std::string prompt;
    // The legacy API's `logprobs: k` (0..5): the sampled token's log-probability plus the k best.
    // options.params.logprobs / top_logprobs carry the same request.
};

// The parser's ceiling for n; the server's configured limit (RequestLimits) is usually lower.
inline constexpr int kMaxChoices = 128;
inline constexpr std::int32_t kMaxTopLogprobs = 20;
inline constexpr std::int32_t kMaxLegacyLogprobs = 5;
inline constexpr std::int32_t kDefaultCompletionMaxTokens = 16;  // OpenAI's for /v1/completions

ApiResult<ChatCompletionRequest> parse_chat_completion_request(std::string_view body);
ApiResult<TextCompletionRequest> parse_text_completion_request(std::string_view body);

}  // namespace inhouse::server
