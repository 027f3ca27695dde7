// Builds a chat prompt: renders the model's chat template and tokenizes the result so that
// special tokens are recognised in the template's own text only, never inside a message, so a
// user cannot inject "<|im_end|>" or "<start_of_turn>" by typing them.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "chat/chat_template.h"
#include "core/result.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::engine {

struct ChatPrompt {
    std::string text;
    std::vector<tokenizer::TokenId> tokens;
};

// The template and special tokens of a model's GGUF file (tokenizer.chat_template).
struct ChatFormat {
    chat::ChatTemplate chat_template;
    std::optional<std::string> bos_token;
    std::optional<std::string> eos_token;
};

// An error when the file has no chat template or it does not parse.
Result<ChatFormat> load_chat_format(const gguf::GgufFile& file, const tokenizer::Tokenizer& tokenizer);

Result<ChatPrompt> build_chat_prompt(const ChatFormat& format, const tokenizer::Tokenizer& tokenizer,
                                     const std::vector<chat::ChatMessage>& messages,
                                     bool add_generation_prompt, const std::tm& now);

}  // namespace inhouse::engine
