#include "server/api_routes.h"

#include <array>

#include <fmt/format.h>

#include "server/openai_response.h"

namespace inhouse::server {

namespace {

struct Route {
    std::string_view path;
    std::string_view method;
};

constexpr std::array<Route, 6> kRoutes = {{
    {"/health", "GET"},
    {"/ready", "GET"},
    {"/metrics", "GET"},
    {"/v1/models", "GET"},
    {"/v1/chat/completions", "POST"},
    {"/v1/completions", "POST"},
}};
constexpr std::string_view kModelsPrefix = "/v1/models/";

HttpReply models_reply(const ServerState& state, std::string_view path) {
    const ServedModel& model = state.model();
    if (path == "/v1/models") return json_reply(200, model_list(model.name, model.created));
    const std::string_view requested = path.substr(kModelsPrefix.size());
    if (requested != model.name) return error_reply(model_not_found(std::string(requested)));
    return json_reply(200, model_object(model.name, model.created));
}

std::optional<ApiError> check_model(const ServerState& state, const CompletionOptions& options) {
    if (options.model && *options.model != state.model().name) return model_not_found(*options.model);
    return std::nullopt;
}

// The model's own end-of-generation tokens, as `inhouse run` uses them, then the sampler's
// checks against the vocabulary.
std::optional<ApiError> complete_params(const ServerState& state, CompletionOptions& options) {
    const tokenizer::Tokenizer& tokenizer = *state.model().tokenizer;
    const RequestLimits& configured = state.config().limits;
    sampling::SamplingParams& params = options.params;
    if (options.n > configured.max_choices) {
        return invalid_request(fmt::format("'n' is {}; this server allows at most {}", options.n, configured.max_choices),
                               "n");
    }
    if (params.logit_bias.size() > configured.max_logit_bias) {
        return invalid_request(fmt::format("'logit_bias' has {} entries; this server allows at most {}",
                                           params.logit_bias.size(), configured.max_logit_bias),
                               "logit_bias");
    }
    if (configured.max_tokens > 0) {
        if (params.max_tokens && *params.max_tokens > configured.max_tokens) {
            return invalid_request(fmt::format("'max_tokens' is {}; this server allows at most {}", *params.max_tokens,
                                               configured.max_tokens),
                                   "max_tokens");
        }
        if (!params.max_tokens) params.max_tokens = configured.max_tokens;
    }
    if (!options.ignore_eos) params.end_of_generation_ids = tokenizer.vocab().special().end_of_generation;
    const auto n_vocab = static_cast<std::int32_t>(tokenizer.vocab().size());
    const sampling::ValidationLimits limits{.max_stop_strings = configured.max_stop_strings,
                                            .max_stop_string_bytes = configured.max_stop_string_bytes,
                                            .max_top_logprobs = kMaxTopLogprobs};
    const Status status = sampling::validate(params, n_vocab, limits);
    if (!status.ok()) return from_engine_error(status.error(), std::nullopt);
    return std::nullopt;
}

std::optional<ApiError> check_prompt_length(const ServerState& state, std::size_t n_prompt_tokens,
                                            const char* param) {
    const std::int64_t n_ctx = state.model().scheduler->n_ctx();
    const std::int64_t limit = state.config().limits.max_prompt_tokens;
    if (limit > 0 && static_cast<std::int64_t>(n_prompt_tokens) > limit) {
        return invalid_request(fmt::format("The prompt has {} tokens; this server accepts at most {}", n_prompt_tokens,
                                           limit),
                               param, "prompt_too_long");
    }
    if (static_cast<std::int64_t>(n_prompt_tokens) >= n_ctx) {
        return invalid_request(fmt::format("This model's context holds {} tokens; the prompt has {} tokens "
                                           "and leaves no room to generate",
                                           n_ctx, n_prompt_tokens),
                               param, "context_length_exceeded");
    }
    return std::nullopt;
}

// The key's limits: its rate limits may refuse the request; its quota may lower max_tokens.
std::optional<ApiError> admit(ServerState& state, GenerationSpec& spec, const Principal& principal,
                              std::string_view body) {
    spec.principal = principal;
    sampling::SamplingParams& params = spec.options.params;
    const auto n_prompt = static_cast<std::int64_t>(spec.prompt.size());
    const std::int64_t per_choice = params.max_tokens ? *params.max_tokens : state.model().scheduler->n_ctx() - n_prompt;
    std::int64_t allowance = per_choice * spec.options.n;
    if (auto error = state.access().admit(spec.principal, n_prompt, allowance)) return error;
    if (allowance < per_choice * spec.options.n) {
        params.max_tokens = static_cast<std::int32_t>(std::max<std::int64_t>(1, allowance / spec.options.n));
    }
    if (state.access().logs_content()) spec.audit_body = std::string(body);
    return std::nullopt;
}

RouteResult chat_completion(ServerState& state, std::string_view body, const Principal& principal) {
    auto request = parse_chat_completion_request(body);
    if (!request.ok()) return error_reply(request.error());
    if (auto error = check_model(state, request.value().options)) return error_reply(*error);
    const ServedModel& model = state.model();
    if (!model.chat_format) {
        return error_reply(invalid_request(
            fmt::format("The model '{}' has no chat template; use /v1/completions", model.name), "messages"));
    }
    auto prompt = engine::build_chat_prompt(*model.chat_format, *model.tokenizer, request.value().messages,
                                            /*add_generation_prompt=*/true, chat::current_local_time());
    if (!prompt.ok()) return error_reply(from_engine_error(prompt.error(), "messages"));
    if (auto error = check_prompt_length(state, prompt->tokens.size(), "messages")) return error_reply(*error);
    GenerationSpec spec{.kind = CompletionKind::Chat,
                        .prompt = std::move(prompt->tokens),
                        .options = std::move(request.value().options),
                        .principal = {},
                        .audit_body = std::nullopt};
    if (auto error = complete_params(state, spec.options)) return error_reply(*error);
    if (auto error = admit(state, spec, principal, body)) return error_reply(*error);
    return spec;
}

RouteResult text_completion(ServerState& state, std::string_view body, const Principal& principal) {
    auto request = parse_text_completion_request(body);
    if (!request.ok()) return error_reply(request.error());
    if (auto error = check_model(state, request.value().options)) return error_reply(*error);
    // The client writes the whole prompt, so control tokens in it are honoured, as in `inhouse run`.
    auto tokens = state.model().tokenizer->encode(request.value().prompt, {.add_special = true, .parse_special = true});
    if (tokens.empty()) return error_reply(invalid_request("'prompt' is empty", "prompt"));
    if (auto error = check_prompt_length(state, tokens.size(), "prompt")) return error_reply(*error);
    GenerationSpec spec{.kind = CompletionKind::Text,
                        .prompt = std::move(tokens),
                        .options = std::move(request.value().options),
                        .principal = {},
                        .audit_body = std::nullopt};
    if (auto error = complete_params(state, spec.options)) return error_reply(*error);
    if (auto error = admit(state, spec, principal, body)) return error_reply(*error);
    return spec;
}

std::string not_ready_reason(const ServerState& state) {
    return state.phase() == ServerState::Phase::Loading ? "The model is still loading; retry shortly"
                                                        : "The server is shutting down";
}

RouteResult dispatch(ServerState& state, std::string_view path, std::string_view body, const Principal& principal) {
    if (path == "/health") return json_reply(200, {{"status", "ok"}});
    if (path == "/ready") {
        if (!state.is_ready()) return error_reply(not_ready(not_ready_reason(state)));
        return json_reply(200, {{"status", "ready"}});
    }
    if (path == "/metrics") {
        const engine::Scheduler* scheduler = state.model().scheduler;
        HttpReply reply{.status = 200,
                        .content_type = "text/plain; version=0.0.4; charset=utf-8",
                        .body = state.metrics().render(scheduler != nullptr ? scheduler->metrics()
                                                                            : engine::SchedulerMetrics{}),
                        .headers = {}};
        return reply;
    }
    if (path == "/v1/models" || path.starts_with(kModelsPrefix)) return models_reply(state, path);
    if (!state.is_ready()) return error_reply(not_ready(not_ready_reason(state)));
    if (path == "/v1/chat/completions") return chat_completion(state, body, principal);
    return text_completion(state, body, principal);
}

}  // namespace

HttpReply json_reply(int status, const nlohmann::json& body) {
    return HttpReply{.status = status, .content_type = "application/json", .body = dump_json(body), .headers = {}};
}

HttpReply error_reply(const ApiError& error) {
    HttpReply reply = json_reply(error.status, error.to_json());
    reply.headers = error.headers;
    return reply;
}

std::string_view endpoint_label(std::string_view path) {
    for (const Route& route : kRoutes) {
        if (path == route.path) return route.path;
    }
    if (path.starts_with(kModelsPrefix)) return "/v1/models/{id}";
    return "other";
}

RouteResult route_request(ServerState& state, std::string_view method, std::string_view target,
                          std::string_view body, const Principal& principal) {
    const std::string_view path = target.substr(0, target.find('?'));
    std::string_view allowed;
    for (const Route& route : kRoutes) {
        if (path == route.path) allowed = route.method;
    }
    if (path.starts_with(kModelsPrefix)) allowed = "GET";
    if (allowed.empty()) return error_reply(unknown_path(std::string(method), std::string(path)));
    if (method != allowed) {
        return error_reply(method_not_allowed(std::string(method), std::string(path), std::string(allowed)));
    }
    return dispatch(state, path, body, principal);
}

}  // namespace inhouse::server
