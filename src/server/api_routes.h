// Routing of one HTTP request: the GET endpoints answer at once; the two completion endpoints
// parse, check and tokenize their request into a GenerationSpec that a CompletionJob runs.
// Every refusal is an OpenAI-shaped error reply.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "server/access_control.h"
#include "server/api_error.h"
#include "server/openai_protocol.h"
#include "server/server_state.h"

namespace inhouse::server {

struct HttpReply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

HttpReply json_reply(int status, const nlohmann::json& body);
HttpReply error_reply(const ApiError& error);

enum class CompletionKind { Chat, Text };

// A checked completion request, ready for the scheduler.
struct GenerationSpec {
    CompletionKind kind = CompletionKind::Chat;
    std::vector<tokenizer::TokenId> prompt;
    CompletionOptions options;  // params complete: end-of-generation ids filled, validated
    Principal principal;        // the key, admitted by its limits
    std::optional<std::string> audit_body;  // the request, when the audit log keeps content
};

using RouteResult = std::variant<HttpReply, GenerationSpec>;

// The metrics label of a path: the route itself, or "other".
std::string_view endpoint_label(std::string_view path);

// `principal` is the authenticated key; completions are admitted against its limits.
RouteResult route_request(ServerState& state, std::string_view method, std::string_view target,
                          std::string_view body, const Principal& principal = {});

}  // namespace inhouse::server
