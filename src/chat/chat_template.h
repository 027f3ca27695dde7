// Chat templates from GGUF files (tokenizer.chat_template): turns a conversation into the
// prompt text the model was trained on, exactly as transformers' apply_chat_template renders
// it with Python's jinja2. Templates are untrusted input: they run in the sandboxed
// interpreter of chat/jinja with limits on time, memory and output.
#pragma once

#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/jinja/template.h"
#include "chat/jinja/value.h"
#include "core/result.h"

namespace inhouse::chat {

// A plain-text message, for callers that have no JSON at hand.
struct ChatMessage {
    std::string role;
    std::string content;
};

struct ChatTemplateInputs {
    // A list of message dicts: {"role": …, "content": …} where content is a string, null or a
    // list of parts ({"type": "text", "text": …}); other fields (tool_calls, tool_call_id, name)
    // reach the template unchanged. Build it with messages_from_json or messages_from.
    jinja::Value messages = jinja::Value::list({});
    bool add_generation_prompt = true;
    // Special tokens as text; unset ones stay undefined in the template, as in transformers.
    std::optional<std::string> bos_token;
    std::optional<std::string> eos_token;
    // Tool schemas and documents (lists), none when absent, as transformers passes them.
    jinja::Value tools = jinja::Value::none();
    jinja::Value documents = jinja::Value::none();
    // Further variables some templates read (enable_thinking, date_string, …).
    std::vector<std::pair<std::string, jinja::Value>> extra_variables;
    // What strftime_now() reports; current_local_time() for a live server.
    std::tm now{};
};

class ChatTemplate {
public:
    // Parses a template. Errors read "chat template line 3, column 12: …".
    static Result<ChatTemplate> parse(std::string_view source);

    // Renders the prompt. A template that rejects the conversation (raise_exception, e.g.
    // roles that do not alternate) fails with ErrorCode::InvalidArgument and the template's
    // message; a limit reached fails with ErrorCode::Unsupported; any other template failure
    // with ErrorCode::InvalidFormat. Every message names the template line.
    Result<std::string> render(const ChatTemplateInputs& inputs,
                               const jinja::RenderLimits& limits = {}) const;

private:
    explicit ChatTemplate(jinja::Template parsed) : template_(std::move(parsed)) {}

    jinja::Template template_;
};

// Checks and converts a request's "messages" array: every element an object whose "role" is
// a string and whose "content", if present, is a string, null or an array of objects.
// Errors name the message: "messages[2]: 'role' must be a string".
Result<jinja::Value> messages_from_json(const nlohmann::ordered_json& messages);
jinja::Value messages_from(const std::vector<ChatMessage>& messages);

// The local time now, for strftime_now().
std::tm current_local_time();

}  // namespace inhouse::chat
