#include "server/api_error.h"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace inhouse::server {

nlohmann::json ApiError::to_json() const {
    nlohmann::json error = {{"message", message}, {"type", type}, {"param", nullptr}, {"code", nullptr}};
    if (param) error["param"] = *param;
    if (code) error["code"] = *code;
    return {{"error", std::move(error)}};
}

ApiError invalid_request(std::string message, std::optional<std::string> param,
                         std::optional<std::string> code) {
    return ApiError{.status = 400,
                    .type = "invalid_request_error",
                    .message = std::move(message),
                    .param = std::move(param),
                    .code = std::move(code),
                    .headers = {}};
}

ApiError invalid_json(std::string detail) {
    return invalid_request(fmt::format("We could not parse the JSON body of your request: {}", detail),
                           std::nullopt, "invalid_json");
}

ApiError model_not_found(const std::string& requested) {
    return ApiError{.status = 404,
                    .type = "invalid_request_error",
                    .message = fmt::format("The model '{}' does not exist on this server", requested),
                    .param = "model",
                    .code = "model_not_found",
                    .headers = {}};
}

ApiError unknown_path(const std::string& method, const std::string& path) {
    return ApiError{.status = 404,
                    .type = "invalid_request_error",
                    .message = fmt::format("Unknown request URL: {} {}", method, path),
                    .param = std::nullopt,
                    .code = "unknown_url",
                    .headers = {}};
}

ApiError method_not_allowed(const std::string& method, const std::string& path,
                            const std::string& allow) {
    return ApiError{.status = 405,
                    .type = "invalid_request_error",
                    .message = fmt::format("{} is not allowed on {}; use {}", method, path, allow),
                    .param = std::nullopt,
                    .code = "method_not_allowed",
                    .headers = {{"Allow", allow}}};
}

ApiError body_too_large(std::size_t limit_bytes) {
    return ApiError{.status = 413,
                    .type = "invalid_request_error",
                    .message = fmt::format("The request body exceeds the limit of {} bytes", limit_bytes),
                    .param = std::nullopt,
                    .code = "request_too_large",
                    .headers = {}};
}

ApiError queue_full(std::string message) {
    return ApiError{.status = 429,
                    .type = "rate_limit_error",
                    .message = std::move(message),
                    .param = std::nullopt,
                    .code = "queue_full",
                    .headers = {{"Retry-After", "1"}}};
}

ApiError not_ready(std::string message) {
    return ApiError{.status = 503,
                    .type = "server_error",
                    .message = std::move(message),
                    .param = std::nullopt,
                    .code = "not_ready",
                    .headers = {{"Retry-After", "1"}}};
}

ApiError internal_error(std::string message) {
    return ApiError{.status = 500,
                    .type = "server_error",
                    .message = std::move(message),
                    .param = std::nullopt,
                    .code = std::nullopt,
                    .headers = {}};
}

namespace {

// sampling::validate's field names → the request field a client wrote.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kSamplingParams = {{
    {"temperature", "temperature"},
    {"top_k", "top_k"},
    {"top_p", "top_p"},
    {"min_p", "min_p"},
    {"repetition_penalty", "repeat_penalty"},
    {"penalty_last_n", "repeat_last_n"},
    {"presence_penalty", "presence_penalty"},
    {"frequency_penalty", "frequency_penalty"},
    {"logit_bias", "logit_bias"},
    {"top_logprobs", "top_logprobs"},
    {"logprobs", "logprobs"},
    {"max_tokens", "max_tokens"},
    {"stop", "stop"},
    {"seed", "seed"},
}};

std::optional<std::string> leading_param(std::string_view message) {
    std::size_t length = 0;
    while (length < message.size() &&
           ((message[length] >= 'a' && message[length] <= 'z') || message[length] == '_')) {
        ++length;
    }
    const std::string_view word = message.substr(0, length);
    for (const auto& [field, param] : kSamplingParams) {
        if (word == field) return std::string(param);
    }
    return std::nullopt;
}

}  // namespace

ApiError from_engine_error(const Error& error, std::optional<std::string> fallback_param) {
    switch (error.code()) {
        case ErrorCode::InvalidArgument:
        case ErrorCode::Unsupported: {
            auto param = leading_param(error.message());
            return invalid_request(error.to_string(), param ? std::move(param) : std::move(fallback_param));
        }
        case ErrorCode::ResourceExhausted:
            return queue_full(error.to_string());
        default:
            return internal_error(error.to_string());
    }
}

}  // namespace inhouse::server
