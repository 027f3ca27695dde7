#include "server/openai_protocol.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace inhouse::server {

namespace {

using Json = nlohmann::json;

// Reads typed fields of one JSON object. The first problem found is kept and later reads
// return nullopt, so a parser reads its fields in order and checks failed() once at the end.
class FieldReader {
public:
    explicit FieldReader(const Json& object) : object_(object) {}

    bool failed() const { return error_.has_value(); }
    ApiError take_error() { return std::move(*error_); }
    void fail(ApiError error) {
        if (!error_) error_ = std::move(error);
    }

    // The field, or nullptr when it is absent or null (OpenAI treats null as "not given").
    const Json* find(std::string_view name) const {
        if (error_) return nullptr;
        const auto found = object_.find(name);
        if (found == object_.end() || found->is_null()) return nullptr;
        return &*found;
    }

    std::optional<double> number(std::string_view name, double min, double max) {
        const Json* value = find(name);
        if (!value) return std::nullopt;
        if (!value->is_number()) return wrong_type(name, "a number", *value);
        const double number = value->get<double>();
        if (!(number >= min && number <= max)) {
            fail(invalid_request(fmt::format("'{}' must be in [{}, {}], got {}", name, min, max, number),
                                 std::string(name)));
            return std::nullopt;
        }
        return number;
    }

    std::optional<std::int64_t> integer(std::string_view name, std::int64_t min, std::int64_t max) {
        const Json* value = find(name);
        if (!value) return std::nullopt;
        const auto number = as_integer(*value);
        if (!number) return wrong_type(name, "an integer", *value);
        if (*number < min || *number > max) {
            fail(invalid_request(fmt::format("'{}' must be in [{}, {}], got {}", name, min, max, *number),
                                 std::string(name)));
            return std::nullopt;
        }
        return number;
    }

    std::optional<bool> boolean(std::string_view name) {
        const Json* value = find(name);
        if (!value) return std::nullopt;
        if (!value->is_boolean()) return wrong_type(name, "a boolean", *value);
        return value->get<bool>();
    }

    std::optional<std::string> string(std::string_view name) {
        const Json* value = find(name);
        if (!value) return std::nullopt;
        if (!value->is_string()) return wrong_type(name, "a string", *value);
        return value->get<std::string>();
    }

    std::nullopt_t wrong_type(std::string_view name, std::string_view expected, const Json& value) {
        fail(invalid_request(fmt::format("'{}' must be {}, got {}", name, expected, value.type_name()),
                             std::string(name)));
        return std::nullopt;
    }

    // Integers, and floats with an integral value (5.0), within int64.
    static std::optional<std::int64_t> as_integer(const Json& value) {
        if (value.is_number_unsigned()) {
            const auto number = value.get<std::uint64_t>();
            if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
            return static_cast<std::int64_t>(number);
        }
        if (value.is_number_integer()) return value.get<std::int64_t>();
        if (value.is_number_float()) {
            const double number = value.get<double>();
            if (std::trunc(number) == number && std::fabs(number) < 9.0e18) return static_cast<std::int64_t>(number);
        }
        return std::nullopt;
    }

private:
    const Json& object_;
    std::optional<ApiError> error_;
};

ApiResult<Json> parse_object(std::string_view body) {
    Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return invalid_json("it is not valid JSON");
    if (!parsed.is_object()) return invalid_json(fmt::format("expected an object, got {}", parsed.type_name()));
    return parsed;
}

void read_stop(FieldReader& fields, sampling::SamplingParams& params) {
    const Json* stop = fields.find("stop");
    if (!stop) return;
    if (stop->is_string()) {
        params.stop = {stop->get<std::string>()};
        return;
    }
    if (!stop->is_array()) {
        fields.wrong_type("stop", "a string or an array of strings", *stop);
        return;
    }
    for (const Json& item : *stop) {
        if (!item.is_string()) {
            fields.fail(invalid_request(fmt::format("'stop' must hold strings only, got {}", item.type_name()), "stop"));
            return;
        }
        params.stop.push_back(item.get<std::string>());
    }
}

void read_logit_bias(FieldReader& fields, sampling::SamplingParams& params) {
    const Json* bias = fields.find("logit_bias");
    if (!bias) return;
    if (!bias->is_object()) {
        fields.wrong_type("logit_bias", "an object mapping token ids to biases", *bias);
        return;
    }
    for (const auto& [key, value] : bias->items()) {
        sampling::TokenId id = 0;
        const auto [end, errc] = std::from_chars(key.data(), key.data() + key.size(), id);
        if (errc != std::errc() || end != key.data() + key.size() || id < 0) {
            fields.fail(invalid_request(fmt::format("'logit_bias' keys must be token ids, got '{}'", key), "logit_bias"));
            return;
        }
        if (!value.is_number() || !(std::fabs(value.get<double>()) <= 100.0)) {
            fields.fail(invalid_request(
                fmt::format("'logit_bias' values must be numbers in [-100, 100], got {} for token {}",
                            value.dump(-1, ' ', false, Json::error_handler_t::replace), key),
                "logit_bias"));
            return;
        }
        params.logit_bias[id] = value.get<float>();
    }
}

void read_stream(FieldReader& fields, CompletionOptions& options) {
    options.stream = fields.boolean("stream").value_or(false);
    const Json* stream_options = fields.find("stream_options");
    if (!stream_options) return;
    if (!stream_options->is_object()) {
        fields.wrong_type("stream_options", "an object", *stream_options);
        return;
    }
    if (!options.stream) {
        fields.fail(invalid_request("'stream_options' is only allowed when 'stream' is true", "stream_options"));
        return;
    }
    FieldReader inner(*stream_options);
    options.include_usage = inner.boolean("include_usage").value_or(false);
    if (inner.failed()) {
        ApiError error = inner.take_error();
        error.param = "stream_options.include_usage";
        fields.fail(std::move(error));
    }
}

// The fields both endpoints read the same way.
CompletionOptions read_common(FieldReader& fields) {
    CompletionOptions options;
    options.model = fields.string("model");
    options.ignore_eos = fields.boolean("ignore_eos").value_or(false);
    sampling::SamplingParams& params = options.params;
    if (auto value = fields.number("temperature", 0.0, 2.0)) params.temperature = static_cast<float>(*value);
    if (auto value = fields.number("top_p", 0.0, 1.0)) {
        if (*value <= 0.0) fields.fail(invalid_request("'top_p' must be in (0, 1], got 0", "top_p"));
        params.top_p = static_cast<float>(*value);
    }
    if (auto value = fields.integer("top_k", 0, std::numeric_limits<std::int32_t>::max())) {
        params.top_k = static_cast<std::int32_t>(*value);
    }
    if (auto value = fields.number("min_p", 0.0, 1.0)) params.min_p = static_cast<float>(*value);
    if (auto value = fields.number("repeat_penalty", 0.0, 100.0)) {
        if (*value <= 0.0) fields.fail(invalid_request("'repeat_penalty' must be in (0, 100], got 0", "repeat_penalty"));
        params.repetition_penalty = static_cast<float>(*value);
    }
    if (auto value = fields.integer("repeat_last_n", -1, std::numeric_limits<std::int32_t>::max())) {
        params.penalty_last_n = static_cast<std::int32_t>(*value);
    }
    if (auto value = fields.number("presence_penalty", -2.0, 2.0)) params.presence_penalty = static_cast<float>(*value);
    if (auto value = fields.number("frequency_penalty", -2.0, 2.0)) params.frequency_penalty = static_cast<float>(*value);
    if (auto value = fields.integer("seed", std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max())) {
        params.seed = static_cast<std::uint64_t>(*value);
    }
    read_stop(fields, params);
    read_logit_bias(fields, params);
    if (auto value = fields.integer("n", 1, kMaxChoices)) options.n = static_cast<int>(*value);
    read_stream(fields, options);
    options.user = fields.string("user");
    return options;
}

std::optional<std::int32_t> read_max_tokens(FieldReader& fields, std::string_view name) {
    const auto value = fields.integer(name, 1, std::numeric_limits<std::int32_t>::max());
    if (!value) return std::nullopt;
    return static_cast<std::int32_t>(*value);
}

// {"type": "text"} (the default) or {"type": "json_object"} (JSON mode, constrained sampling);
// json_schema is refused until schemas are enforced too.
void read_response_format(FieldReader& fields, sampling::SamplingParams& params) {
    const Json* format = fields.find("response_format");
    if (!format) return;
    if (!format->is_object()) {
        fields.wrong_type("response_format", "an object", *format);
        return;
    }
    FieldReader inner(*format);
    const auto type = inner.string("type");
    if (inner.failed() || !type) {
        fields.fail(invalid_request("'response_format.type' must be a string", "response_format"));
    } else if (*type == "json_object") {
        params.json_object = true;
    } else if (*type == "json_schema") {
        fields.fail(invalid_request("response_format type 'json_schema' is not supported yet; "
                                    "{\"type\": \"json_object\"} guarantees JSON without a schema",
                                    "response_format"));
    } else if (*type != "text") {
        fields.fail(invalid_request(fmt::format("Unknown response_format type '{}'", *type), "response_format"));
    }
}

// content: a string, null, or an array of {"type": "text", "text": …} parts. Problems inside a
// message have param "messages"; their text names the place ("messages[2].content[0].type").
std::optional<std::string> read_content(FieldReader& fields, const Json& message, const std::string& where) {
    const auto content = message.find("content");
    if (content == message.end() || content->is_null()) return std::string();
    if (content->is_string()) return content->get<std::string>();
    if (!content->is_array()) {
        fields.fail(invalid_request(
            fmt::format("'{}.content' must be a string or an array of text parts, got {}", where, content->type_name()),
            "messages"));
        return std::nullopt;
    }
    std::string text;
    for (std::size_t index = 0; index < content->size(); ++index) {
        const Json& part = (*content)[index];
        const std::string part_where = fmt::format("{}.content[{}]", where, index);
        const auto type = part.is_object() ? part.find("type") : part.end();
        if (!part.is_object() || type == part.end() || !type->is_string()) {
            fields.fail(invalid_request(fmt::format("'{}' must be an object with a string 'type'", part_where),
                                        "messages"));
            return std::nullopt;
        }
        if (type->get<std::string>() != "text") {
            fields.fail(invalid_request(fmt::format("'{}': only text content parts are supported, got type '{}'",
                                                    part_where, type->get<std::string>()),
                                        "messages"));
            return std::nullopt;
        }
        const auto part_text = part.find("text");
        if (part_text == part.end() || !part_text->is_string()) {
            fields.fail(invalid_request(fmt::format("'{}.text' must be a string", part_where), "messages"));
            return std::nullopt;
        }
        if (index > 0) text += '\n';
        text += part_text->get<std::string>();
    }
    return text;
}

std::optional<chat::ChatMessage> read_message(FieldReader& fields, const Json& message, std::size_t index) {
    const std::string where = fmt::format("messages[{}]", index);
    if (!message.is_object()) {
        fields.fail(invalid_request(fmt::format("'{}' must be an object, got {}", where, message.type_name()), "messages"));
        return std::nullopt;
    }
    const auto role = message.find("role");
    if (role == message.end() || !role->is_string()) {
        fields.fail(invalid_request(fmt::format("'{}.role' must be a string", where), "messages"));
        return std::nullopt;
    }
    std::string role_name = role->get<std::string>();
    if (role_name == "developer") role_name = "system";
    if (role_name != "system" && role_name != "user" && role_name != "assistant") {
        fields.fail(invalid_request(
            fmt::format("'{}.role' must be one of system, developer, user, assistant; got '{}'", where, role_name),
            "messages"));
        return std::nullopt;
    }
    if (role_name != "assistant" && (message.find("content") == message.end() || message["content"].is_null())) {
        fields.fail(invalid_request(fmt::format("'{}.content' is required", where), "messages"));
        return std::nullopt;
    }
    auto content = read_content(fields, message, where);
    if (!content) return std::nullopt;
    return chat::ChatMessage{.role = std::move(role_name), .content = std::move(*content)};
}

std::vector<chat::ChatMessage> read_messages(FieldReader& fields) {
    const Json* messages = fields.find("messages");
    if (!messages) {
        fields.fail(invalid_request("'messages' is required", "messages"));
        return {};
    }
    if (!messages->is_array() || messages->empty()) {
        fields.fail(invalid_request("'messages' must be a non-empty array", "messages"));
        return {};
    }
    std::vector<chat::ChatMessage> result;
    for (std::size_t index = 0; index < messages->size(); ++index) {
        auto message = read_message(fields, (*messages)[index], index);
        if (!message) return {};
        result.push_back(std::move(*message));
    }
    return result;
}

std::string read_prompt(FieldReader& fields) {
    const Json* prompt = fields.find("prompt");
    if (!prompt) {
        fields.fail(invalid_request("'prompt' is required", "prompt"));
        return {};
    }
    if (prompt->is_string()) return prompt->get<std::string>();
    if (prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string()) return (*prompt)[0].get<std::string>();
    if (prompt->is_array() && prompt->size() > 1) {
        fields.fail(invalid_request("'prompt' holds several prompts; send one request per prompt", "prompt"));
    } else {
        fields.wrong_type("prompt", "a string (or an array of one string)", *prompt);
    }
    return {};
}

}  // namespace

ApiResult<ChatCompletionRequest> parse_chat_completion_request(std::string_view body) {
    auto object = parse_object(body);
    if (!object.ok()) return std::move(object).error();
    FieldReader fields(object.value());
    ChatCompletionRequest request;
    request.messages = read_messages(fields);
    request.options = read_common(fields);
    sampling::SamplingParams& params = request.options.params;
    // max_completion_tokens replaced max_tokens in the chat API; either is accepted.
    params.max_tokens = read_max_tokens(fields, "max_tokens");
    if (auto value = read_max_tokens(fields, "max_completion_tokens")) params.max_tokens = value;
    params.logprobs = fields.boolean("logprobs").value_or(false);
    if (auto value = fields.integer("top_logprobs", 0, kMaxTopLogprobs)) {
        if (!params.logprobs) fields.fail(invalid_request("'top_logprobs' needs 'logprobs' set to true", "top_logprobs"));
        params.top_logprobs = static_cast<std::int32_t>(*value);
    }
    read_response_format(fields, params);
    if (fields.failed()) return fields.take_error();
    return request;
}

ApiResult<TextCompletionRequest> parse_text_completion_request(std::string_view body) {
    auto object = parse_object(body);
    if (!object.ok()) return std::move(object).error();
    FieldReader fields(object.value());
    TextCompletionRequest request;
    request.prompt = read_prompt(fields);
    request.options = read_common(fields);
    sampling::SamplingParams& params = request.options.params;
    params.max_tokens = read_max_tokens(fields, "max_tokens").value_or(kDefaultCompletionMaxTokens);
    if (auto value = fields.integer("logprobs", 0, kMaxLegacyLogprobs)) {
        params.logprobs = true;
        params.top_logprobs = static_cast<std::int32_t>(*value);
    }
    if (fields.boolean("echo").value_or(false)) {
        fields.fail(invalid_request("'echo' is not supported by this server", "echo"));
    }
    if (fields.failed()) return fields.take_error();
    return request;
}

}  // namespace inhouse::server
