// Shorthand for the chat tests: render template text with variables written as JSON.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "chat/jinja/template.h"

namespace inhouse::chat::jinja::testing_helpers {

inline Result<std::string> render(std::string_view source, std::string_view variables_json = "{}",
                                  const RenderLimits& limits = {}) {
    INHOUSE_ASSIGN_OR_RETURN(Template parsed,
                             Template::parse(source, {.template_name = "chat template"}));
    nlohmann::ordered_json json = nlohmann::ordered_json::parse(variables_json, nullptr, false);
    EXPECT_TRUE(json.is_object()) << "bad test variables: " << variables_json;
    std::vector<std::pair<std::string, Value>> variables;
    for (auto it = json.begin(); it != json.end(); ++it) {
        INHOUSE_ASSIGN_OR_RETURN(Value value, Value::from_json(it.value()));
        variables.emplace_back(it.key(), std::move(value));
    }
    return parsed.render(variables, {.limits = limits});
}

// The rendered text, or "error: <message>" so that expectations can show both.
inline std::string render_text(std::string_view source, std::string_view variables_json = "{}",
                               const RenderLimits& limits = {}) {
    Result<std::string> rendered = render(source, variables_json, limits);
    return rendered.ok() ? *rendered : "error: " + rendered.error().message();
}

}  // namespace inhouse::chat::jinja::testing_helpers
