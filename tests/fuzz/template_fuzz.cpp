// libFuzzer harness for the Jinja interpreter: the input is template text, rendered with a
// fixed conversation under small limits. Templates come from model files, so nothing they
// contain may crash, hang or exhaust memory. Checked: every error names its line; a render
// that succeeds stays within the output limit, is valid UTF-8, and is the same when repeated.
//   build/fuzz/tests/fuzz/template_fuzz -max_total_time=60 CORPUS_DIR tests/data/templates
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/jinja/template.h"
#include "core/check.h"
#include "core/utf8.h"

namespace inhouse::chat::jinja {
namespace {

std::vector<std::pair<std::string, Value>> conversation() {
    auto json = nlohmann::ordered_json::parse(R"({
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "  Hi, é 😊\n"},
            {"role": "assistant", "content": null,
             "tool_calls": [{"id": "call12345", "type": "function",
                             "function": {"name": "f", "arguments": {"x": [1, 2.5, true]}}}]},
            {"role": "tool", "content": "{\"ok\": 1}", "tool_call_id": "call12345"},
            {"role": "user", "content": [{"type": "text", "text": "parts"}, {"type": "image"}]}
        ],
        "tools": [{"type": "function", "function": {"name": "f", "description": "d",
                   "parameters": {"type": "object", "properties": {"x": {"type": "array"}}}}}],
        "documents": null,
        "add_generation_prompt": true,
        "bos_token": "<s>",
        "eos_token": "</s>"
    })");
    std::vector<std::pair<std::string, Value>> variables;
    for (auto it = json.begin(); it != json.end(); ++it) {
        Result<Value> value = Value::from_json(it.value());
        INHOUSE_CHECK(value.ok(), "fixed fuzz data failed to convert");
        variables.emplace_back(it.key(), std::move(value).value());
    }
    return variables;
}

RenderOptions small_limits() {
    RenderOptions options;
    options.limits.max_steps = 20'000;
    options.limits.max_recursion_depth = 200;
    options.limits.max_string_bytes = 64 * 1024;
    options.limits.max_list_items = 2'000;
    options.now.tm_year = 124;
    options.now.tm_mday = 1;
    return options;
}

void check_error_names_line(const Error& error) {
    const std::string& message = error.message();
    bool located = message.starts_with("fuzz line ");
    bool whole_template = message.starts_with("fuzz is ");  // size or UTF-8 problems
    INHOUSE_CHECK(located || whole_template, "error without a location: {}", message);
}

void render_once(std::string_view source) {
    static const std::vector<std::pair<std::string, Value>> variables = conversation();
    static const RenderOptions options = small_limits();
    Result<Template> parsed = Template::parse(source, {.template_name = "fuzz"});
    if (!parsed.ok()) {
        check_error_names_line(parsed.error());
        return;
    }
    Result<std::string> rendered = parsed->render(variables, options);
    if (!rendered.ok()) {
        check_error_names_line(rendered.error());
        return;
    }
    INHOUSE_CHECK(rendered->size() <= options.limits.max_string_bytes, "output of {} bytes",
                  rendered->size());
    INHOUSE_CHECK(is_valid_utf8(*rendered), "render produced invalid UTF-8");
    Result<std::string> again = parsed->render(variables, options);
    INHOUSE_CHECK(again.ok() && *again == *rendered, "a second render differs");
}

}  // namespace
}  // namespace inhouse::chat::jinja

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    inhouse::chat::jinja::render_once(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
