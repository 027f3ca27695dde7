#include "engine/chat_prompt.h"

namespace inhouse::engine {

namespace {

// Private-use code points that mark where each message's content lands in the rendering.
std::string sentinel(std::size_t index) {
    return "\xEE\x80\x80" + std::to_string(index) + "\xEE\x80\x81";  // U+E000 index U+E001
}

using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

// Locates each content in the real rendering by rendering once more with sentinels in place of
// the contents. nullopt when the template transforms contents (then positions are unknown).
std::optional<Ranges> locate_contents(const ChatFormat& format, const chat::ChatTemplateInputs& inputs,
                                      const std::vector<chat::ChatMessage>& messages,
                                      const std::string& rendered) {
    std::vector<chat::ChatMessage> marked = messages;
    for (std::size_t i = 0; i < marked.size(); ++i) marked[i].content = sentinel(i);
    chat::ChatTemplateInputs marked_inputs = inputs;
    marked_inputs.messages = chat::messages_from(marked);
    auto with_sentinels = format.chat_template.render(marked_inputs);
    if (!with_sentinels.ok()) return std::nullopt;
    Ranges ranges;
    std::string rebuilt;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto at = with_sentinels->find(sentinel(i), pos);
        if (at == std::string::npos) continue;  // a template may drop a message (e.g. system)
        rebuilt += with_sentinels->substr(pos, at - pos);
        ranges.emplace_back(rebuilt.size(), rebuilt.size() + messages[i].content.size());
        rebuilt += messages[i].content;
        pos = at + sentinel(i).size();
    }
    rebuilt += with_sentinels->substr(pos);
    if (rebuilt != rendered) return std::nullopt;
    return ranges;
}

// Whether any message contains the text of a token that parse_special would match.
std::optional<std::string> find_special_text(const tokenizer::Tokenizer& tokenizer,
                                             const std::vector<chat::ChatMessage>& messages) {
    for (const auto id : tokenizer.vocab().special_token_order()) {
        const auto text = tokenizer.vocab().token(id).text;
        for (const auto& message : messages) {
            if (message.content.find(text) != std::string::npos) return std::string(text);
        }
    }
    return std::nullopt;
}

}  // namespace

Result<ChatFormat> load_chat_format(const gguf::GgufFile& file, const tokenizer::Tokenizer& tokenizer) {
    const auto source = file.get_string("tokenizer.chat_template");
    if (!source) {
        return make_error(ErrorCode::Unsupported,
                          "{}: the model has no chat template (tokenizer.chat_template); it is probably "
                          "a base model: use 'inhouse run' with a plain prompt",
                          file.label());
    }
    auto parsed = chat::ChatTemplate::parse(*source);
    if (!parsed.ok()) return std::move(parsed).error().context("{}", file.label());
    const auto& special = tokenizer.vocab().special();
    const auto text_of = [&](tokenizer::TokenId id) -> std::optional<std::string> {
        if (!tokenizer.vocab().contains(id)) return std::nullopt;
        return std::string(tokenizer.vocab().token(id).text);
    };
    return ChatFormat{.chat_template = std::move(parsed).value(),
                      .bos_token = text_of(special.bos),
                      .eos_token = text_of(special.eos)};
}

Result<ChatPrompt> build_chat_prompt(const ChatFormat& format, const tokenizer::Tokenizer& tokenizer,
                                     const std::vector<chat::ChatMessage>& messages,
                                     bool add_generation_prompt, const std::tm& now) {
    chat::ChatTemplateInputs inputs;
    inputs.messages = chat::messages_from(messages);
    inputs.add_generation_prompt = add_generation_prompt;
    inputs.bos_token = format.bos_token;
    inputs.eos_token = format.eos_token;
    inputs.now = now;
    INHOUSE_ASSIGN_OR_RETURN(auto rendered, format.chat_template.render(inputs));
    ChatPrompt prompt;
    const auto literal = locate_contents(format, inputs, messages, rendered);
    if (!literal) {
        if (auto injected = find_special_text(tokenizer, messages)) {
            return make_error(ErrorCode::InvalidArgument,
                              "a message contains the special token text '{}', which this chat "
                              "template would let through; remove it",
                              *injected);
        }
    }
    prompt.tokens = tokenizer.encode(rendered, {.add_special = true,
                                                .parse_special = true,
                                                .literal_ranges = literal ? std::span(*literal)
                                                                          : std::span<const std::pair<std::size_t, std::size_t>>()});
    // Templates that write {{ bos_token }} themselves would otherwise start with two.
    const auto bos = tokenizer.vocab().special().bos;
    if (prompt.tokens.size() >= 2 && prompt.tokens[0] == bos && prompt.tokens[1] == bos) {
        prompt.tokens.erase(prompt.tokens.begin());
    }
    prompt.text = std::move(rendered);
    return prompt;
}

}  // namespace inhouse::engine
