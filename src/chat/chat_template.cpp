#include "chat/chat_template.h"

namespace inhouse::chat {

namespace {

constexpr std::string_view kTemplateName = "chat template";
// Real chat templates are tens of kilobytes; a megabyte leaves room and bounds parsing.
constexpr std::size_t kMaxTemplateBytes = std::size_t{1} << 20;

Status check_message(const nlohmann::ordered_json& message, std::size_t index) {
    if (!message.is_object()) {
        return make_error(ErrorCode::InvalidArgument, "messages[{}]: must be an object", index);
    }
    auto role = message.find("role");
    if (role == message.end() || !role->is_string()) {
        return make_error(ErrorCode::InvalidArgument, "messages[{}]: 'role' must be a string",
                          index);
    }
    auto content = message.find("content");
    if (content == message.end() || content->is_string() || content->is_null()) {
        return {};
    }
    if (!content->is_array()) {
        return make_error(ErrorCode::InvalidArgument,
                          "messages[{}]: 'content' must be a string, null or an array of parts",
                          index);
    }
    for (std::size_t part = 0; part < content->size(); ++part) {
        if (!(*content)[part].is_object()) {
            return make_error(ErrorCode::InvalidArgument,
                              "messages[{}]: content part {} must be an object", index, part);
        }
    }
    return {};
}

}  // namespace

Result<ChatTemplate> ChatTemplate::parse(std::string_view source) {
    INHOUSE_ASSIGN_OR_RETURN(
        jinja::Template parsed,
        jinja::Template::parse(source, {.template_name = std::string(kTemplateName),
                                        .max_source_bytes = kMaxTemplateBytes}));
    return ChatTemplate(std::move(parsed));
}

Result<std::string> ChatTemplate::render(const ChatTemplateInputs& inputs,
                                         const jinja::RenderLimits& limits) const {
    // The variables transformers passes: messages, tools, documents, add_generation_prompt
    // and the special tokens, then the caller's extras.
    std::vector<std::pair<std::string, jinja::Value>> variables = {
        {"messages", inputs.messages},
        {"tools", inputs.tools},
        {"documents", inputs.documents},
        {"add_generation_prompt", jinja::Value::boolean(inputs.add_generation_prompt)},
    };
    if (inputs.bos_token) {
        variables.emplace_back("bos_token", jinja::Value::string(*inputs.bos_token));
    }
    if (inputs.eos_token) {
        variables.emplace_back("eos_token", jinja::Value::string(*inputs.eos_token));
    }
    for (const auto& variable : inputs.extra_variables) {
        variables.push_back(variable);
    }
    return template_.render(variables, {.limits = limits, .now = inputs.now});
}

Result<jinja::Value> messages_from_json(const nlohmann::ordered_json& messages) {
    if (!messages.is_array()) {
        return make_error(ErrorCode::InvalidArgument, "messages must be an array");
    }
    for (std::size_t index = 0; index < messages.size(); ++index) {
        INHOUSE_RETURN_IF_ERROR(check_message(messages[index], index));
    }
    return jinja::Value::from_json(messages);
}

jinja::Value messages_from(const std::vector<ChatMessage>& messages) {
    std::vector<jinja::Value> items;
    items.reserve(messages.size());
    for (const ChatMessage& message : messages) {
        items.push_back(jinja::Value::dict({
            {jinja::Value::string("role"), jinja::Value::string(message.role)},
            {jinja::Value::string("content"), jinja::Value::string(message.content)},
        }));
    }
    return jinja::Value::list(std::move(items));
}

std::tm current_local_time() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return local;
}

}  // namespace inhouse::chat
