#include "chat/chat_template.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace inhouse::chat {
namespace {

std::string read_template(const std::string& name) {
    std::ifstream file(std::string(INHOUSE_TEST_DATA_DIR) + "/templates/" + name, std::ios::binary);
    std::stringstream buffer;
    buffer << file.rdbuf();
    return buffer.str();
}

TEST(ChatTemplate, RendersSmolLm2ChatMlFromPlainMessages) {
    Result<ChatTemplate> chat_template =
        ChatTemplate::parse(read_template("HuggingFaceTB-SmolLM2-135M-Instruct.jinja"));
    ASSERT_TRUE(chat_template.ok()) << chat_template.error().to_string();
    ChatTemplateInputs inputs;
    inputs.messages = messages_from({{"user", "Hi"}});
    Result<std::string> prompt = chat_template->render(inputs);
    ASSERT_TRUE(prompt.ok()) << prompt.error().to_string();
    EXPECT_EQ(*prompt,
              "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging "
              "Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
}

TEST(ChatTemplate, PassesSpecialTokensAndTheGenerationPromptFlag) {
    Result<ChatTemplate> chat_template = ChatTemplate::parse(
        "{{ bos_token }}{% for m in messages %}{{ m.content }}{{ eos_token }}{% endfor %}"
        "{% if add_generation_prompt %}>{% endif %}[{{ unk_token is defined }}]");
    ASSERT_TRUE(chat_template.ok());
    ChatTemplateInputs inputs;
    inputs.messages = messages_from({{"user", "a"}, {"assistant", "b"}});
    inputs.bos_token = "<s>";
    inputs.eos_token = "</s>";
    inputs.add_generation_prompt = false;
    Result<std::string> prompt = chat_template->render(inputs);
    ASSERT_TRUE(prompt.ok());
    EXPECT_EQ(*prompt, "<s>a</s>b</s>[False]");
}

TEST(ChatTemplate, GivesToolsAndDocumentsAsNoneWhenAbsent) {
    Result<ChatTemplate> chat_template = ChatTemplate::parse(
        "{{ tools is defined }} {{ tools is none }} {{ documents }} {{ enable_thinking }}");
    ASSERT_TRUE(chat_template.ok());
    ChatTemplateInputs inputs;
    inputs.extra_variables.emplace_back("enable_thinking", jinja::Value::boolean(false));
    Result<std::string> prompt = chat_template->render(inputs);
    ASSERT_TRUE(prompt.ok());
    EXPECT_EQ(*prompt, "True True None False");
}

TEST(ChatTemplate, ReportsATemplateThatRejectsTheConversation) {
    Result<ChatTemplate> chat_template =
        ChatTemplate::parse(read_template("google-gemma-3-it.jinja"));
    ASSERT_TRUE(chat_template.ok());
    ChatTemplateInputs inputs;
    inputs.messages = messages_from({{"user", "a"}, {"user", "b"}});
    Result<std::string> prompt = chat_template->render(inputs);
    ASSERT_FALSE(prompt.ok());
    EXPECT_EQ(prompt.error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(prompt.error().message(),
              "chat template line 19, column 27: Conversation roles must alternate "
              "user/assistant/user/assistant/...");
}

TEST(ChatTemplate, ReportsSyntaxErrorsWithTheirLine) {
    Result<ChatTemplate> chat_template =
        ChatTemplate::parse("{% for m in messages %}\n{{ m.role | }}\n{% endfor %}");
    ASSERT_FALSE(chat_template.ok());
    EXPECT_EQ(
        chat_template.error().message(),
        "chat template line 2, column 13: expected token 'name', got 'end of print statement'");
}

TEST(ChatTemplate, AcceptsContentAsTextParts) {
    Result<ChatTemplate> chat_template =
        ChatTemplate::parse(read_template("google-gemma-3-it.jinja"));
    ASSERT_TRUE(chat_template.ok());
    auto json = nlohmann::ordered_json::parse(
        R"([{"role": "user", "content": [{"type": "text", "text": " Look "}, {"type": "image"}]}])");
    Result<jinja::Value> messages = messages_from_json(json);
    ASSERT_TRUE(messages.ok());
    ChatTemplateInputs inputs;
    inputs.messages = *messages;
    inputs.bos_token = "<bos>";
    Result<std::string> prompt = chat_template->render(inputs);
    ASSERT_TRUE(prompt.ok()) << prompt.error().to_string();
    EXPECT_EQ(
        *prompt,
        "<bos><start_of_turn>user\nLook<start_of_image><end_of_turn>\n<start_of_turn>model\n");
}

TEST(ChatTemplate, ValidatesRequestMessagesAndNamesTheBadOne) {
    auto bad_role = nlohmann::ordered_json::parse(R"([{"role": "user"}, {"role": 5}])");
    Result<jinja::Value> messages = messages_from_json(bad_role);
    ASSERT_FALSE(messages.ok());
    EXPECT_EQ(messages.error().message(), "messages[1]: 'role' must be a string");
    auto bad_content = nlohmann::ordered_json::parse(R"([{"role": "user", "content": 3}])");
    EXPECT_FALSE(messages_from_json(bad_content).ok());
    EXPECT_FALSE(messages_from_json(nlohmann::ordered_json::object()).ok());
    auto with_tool_calls = nlohmann::ordered_json::parse(
        R"([{"role": "assistant", "content": null, "tool_calls": [{"id": "1"}]}])");
    EXPECT_TRUE(messages_from_json(with_tool_calls).ok());
}

TEST(ChatTemplate, FillsInTodaysDateForLlama32) {
    Result<ChatTemplate> chat_template =
        ChatTemplate::parse(read_template("meta-llama-Llama-3.2-3B-Instruct.jinja"));
    ASSERT_TRUE(chat_template.ok());
    ChatTemplateInputs inputs;
    inputs.messages = messages_from({{"user", "hi"}});
    inputs.now.tm_year = 124;
    inputs.now.tm_mon = 11;
    inputs.now.tm_mday = 3;
    Result<std::string> prompt = chat_template->render(inputs);
    ASSERT_TRUE(prompt.ok());
    EXPECT_NE(prompt->find("Today Date: 03 Dec 2024\n"), std::string::npos) << *prompt;
}

}  // namespace
}  // namespace inhouse::chat
