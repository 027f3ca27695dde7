// Golden tests: every template under tests/data/templates rendered for the conversations that
// tools/render_templates.py rendered with Python's jinja2, compared byte for byte; and the
// feature fixtures, one small template per interpreter feature.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "chat/chat_template.h"
#include "chat/jinja/template.h"

namespace inhouse::chat::jinja {
namespace {

const std::filesystem::path kTemplateDir =
    std::filesystem::path(INHOUSE_TEST_DATA_DIR) / "templates";

std::string read_text(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream buffer;
    buffer << file.rdbuf();
    return buffer.str();
}

nlohmann::ordered_json read_json(const std::filesystem::path& path) {
    return nlohmann::ordered_json::parse(read_text(path), nullptr, false);
}

// The fixed time the fixtures were rendered with, as a normalized UTC std::tm.
std::tm fixture_time(const nlohmann::ordered_json& now) {
    std::tm time{};
    time.tm_year = now.at("year").get<int>() - 1900;
    time.tm_mon = now.at("month").get<int>() - 1;
    time.tm_mday = now.at("day").get<int>();
    time.tm_hour = now.at("hour").get<int>();
    time.tm_min = now.at("minute").get<int>();
    time.tm_sec = now.at("second").get<int>();
    std::time_t seconds = timegm(&time);
    gmtime_r(&seconds, &time);
    return time;
}

std::vector<std::pair<std::string, Value>> to_variables(const nlohmann::ordered_json& json) {
    std::vector<std::pair<std::string, Value>> variables;
    for (auto it = json.begin(); it != json.end(); ++it) {
        Result<Value> value = Value::from_json(it.value());
        EXPECT_TRUE(value.ok());
        variables.emplace_back(it.key(), value.ok() ? *value : Value());
    }
    return variables;
}

// Checks one case: the same text as jinja2, or a failure with jinja2's message.
void expect_result_matches(const Result<std::string>& rendered,
                           const nlohmann::ordered_json& test_case) {
    std::string name = test_case.at("name").get<std::string>();
    if (test_case.contains("expected")) {
        ASSERT_TRUE(rendered.ok()) << name << ": " << rendered.error().to_string();
        EXPECT_EQ(*rendered, test_case.at("expected").get<std::string>()) << name;
        return;
    }
    ASSERT_FALSE(rendered.ok()) << name << " rendered, but jinja2 failed with: "
                                << test_case.at("error").get<std::string>();
    EXPECT_NE(rendered.error().message().find(test_case.at("error").get<std::string>()),
              std::string::npos)
        << name << ": " << rendered.error().message() << "\njinja2: " << test_case.at("error");
}

// The fixture's variables as the chat-template API takes them (what transformers passes).
ChatTemplateInputs to_chat_inputs(const nlohmann::ordered_json& variables, const std::tm& now) {
    ChatTemplateInputs inputs;
    inputs.now = now;
    for (auto it = variables.begin(); it != variables.end(); ++it) {
        const std::string& key = it.key();
        Result<Value> value =
            key == "messages" ? messages_from_json(it.value()) : Value::from_json(it.value());
        EXPECT_TRUE(value.ok()) << key;
        if (key == "messages") {
            inputs.messages = *value;
        } else if (key == "add_generation_prompt") {
            inputs.add_generation_prompt = it.value().get<bool>();
        } else if (key == "bos_token") {
            inputs.bos_token = it.value().get<std::string>();
        } else if (key == "eos_token") {
            inputs.eos_token = it.value().get<std::string>();
        } else if (key == "tools") {
            inputs.tools = *value;
        } else if (key == "documents") {
            inputs.documents = *value;
        } else {
            inputs.extra_variables.emplace_back(key, *value);
        }
    }
    return inputs;
}

class ModelTemplateGolden : public testing::TestWithParam<std::string> {};

TEST_P(ModelTemplateGolden, RendersEveryConversationLikeJinja2) {
    nlohmann::ordered_json fixture = read_json(kTemplateDir / (GetParam() + ".json"));
    ASSERT_FALSE(fixture.is_discarded()) << "missing or broken fixture for " << GetParam();
    Result<ChatTemplate> chat_template =
        ChatTemplate::parse(read_text(kTemplateDir / (GetParam() + ".jinja")));
    ASSERT_TRUE(chat_template.ok()) << chat_template.error().to_string();
    std::tm now = fixture_time(fixture.at("now"));
    ASSERT_FALSE(fixture.at("cases").empty());
    for (const auto& test_case : fixture.at("cases")) {
        std::string name = test_case.at("name").get<std::string>();
        Result<std::string> rendered =
            chat_template->render(to_chat_inputs(test_case.at("variables"), now));
        expect_result_matches(rendered, test_case);
    }
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
    std::string name;
    for (char c : info.param) {
        name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(
    Templates, ModelTemplateGolden,
    testing::Values("HuggingFaceTB-SmolLM2-135M-Instruct", "Qwen-Qwen2.5-7B-Instruct",
                    "meta-llama-Llama-3.1-8B-Instruct", "meta-llama-Llama-3.2-3B-Instruct",
                    "mistralai-Mistral-Nemo-Instruct-2407", "microsoft-Phi-3.5-mini-instruct",
                    "google-gemma-3-it", "google-gemma-2-2b-it",
                    "NousResearch-Hermes-3-Llama-3.1-8B-tool_use",
                    "CohereForAI-c4ai-command-r7b-12-2024-tool_use",
                    "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B"),
    test_name);

TEST(ModelTemplateGoldenSet, CoversEveryTemplateInTheDataDirectory) {
    // A template copied into tests/data/templates without an entry above would go untested.
    int n_templates = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kTemplateDir)) {
        n_templates += entry.path().extension() == ".jinja" ? 1 : 0;
    }
    EXPECT_EQ(n_templates, 11);
}

TEST(FeatureGolden, EveryFeatureTemplateRendersLikeJinja2) {
    nlohmann::ordered_json fixture = read_json(kTemplateDir / "features.json");
    ASSERT_FALSE(fixture.is_discarded());
    RenderOptions options;
    options.now = fixture_time(fixture.at("now"));
    ASSERT_GT(fixture.at("cases").size(), 50u);
    for (const auto& test_case : fixture.at("cases")) {
        std::string name = test_case.at("name").get<std::string>();
        Result<Template> parsed = Template::parse(test_case.at("template").get<std::string>());
        if (!parsed.ok()) {
            EXPECT_TRUE(test_case.contains("error"))
                << name << " failed to parse: " << parsed.error().to_string();
            continue;
        }
        expect_result_matches(parsed->render(to_variables(test_case.at("variables")), options),
                              test_case);
    }
}

}  // namespace
}  // namespace inhouse::chat::jinja
