// Errors as the OpenAI API returns them: an HTTP status plus the body
// {"error": {"message", "type", "param", "code"}}, so clients' error handling works unchanged.
// Every client mistake maps to a 4xx here; 500 is kept for the server's own failures.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace inhouse::server {

struct ApiError {
    int status = 400;
    std::string type;                  // "invalid_request_error", "not_found_error", …
    std::string message;
    std::optional<std::string> param;  // the request field at fault, as the API spells it
    std::optional<std::string> code;   // "model_not_found", "context_length_exceeded", …
    // Extra response headers (Allow for 405, Retry-After for 429).
    std::vector<std::pair<std::string, std::string>> headers;

    nlohmann::json to_json() const;
};

// 400: a field with the wrong type or range; `param` names it ("messages[1].content").
ApiError invalid_request(std::string message, std::optional<std::string> param = std::nullopt,
                         std::optional<std::string> code = std::nullopt);
// 400: the body is not a JSON object.
ApiError invalid_json(std::string detail);
// 404: a model other than the one served.
ApiError model_not_found(const std::string& requested);
// 404: no route for the path.
ApiError unknown_path(const std::string& method, const std::string& path);
// 405: the path exists for other methods; `allow` is the Allow header ("GET" or "POST").
ApiError method_not_allowed(const std::string& method, const std::string& path,
                            const std::string& allow);
// 413: the body exceeds the limit.
ApiError body_too_large(std::size_t limit_bytes);
// 429: the queue is full; Retry-After: 1.
ApiError queue_full(std::string message);
// 503: the model is not loaded yet or the server is shutting down.
ApiError not_ready(std::string message);
// 500: a failure of the server itself (never a client mistake).
ApiError internal_error(std::string message);

// An engine error (Scheduler::submit, build_chat_prompt, sampling::validate) as an API error:
// InvalidArgument and Unsupported → 400, param = the sampling field the message starts with
// (sampling::validate names it first), else `fallback_param`; ResourceExhausted → 429;
// anything else → 500.
ApiError from_engine_error(const Error& error, std::optional<std::string> fallback_param);

// A value or an ApiError, as Result<T> is a value or an Error.
template <typename T>
class ApiResult {
public:
    ApiResult(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    ApiResult(ApiError error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    const ApiError& error() const& { return std::get<1>(state_); }
    ApiError&& error() && { return std::get<1>(std::move(state_)); }

private:
    std::variant<T, ApiError> state_;
};

}  // namespace inhouse::server
