// JSON mode's recognizer: it accepts exactly the prefixes of JSON objects.
#include "sampling/json_prefix.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>
#include <string>

namespace inhouse::sampling {
namespace {

bool accepts(std::string_view text) {
    JsonPrefix json;
    return json.feed(text);
}

bool accepts_complete(std::string_view text) {
    JsonPrefix json;
    return json.feed(text) && json.complete();
}

TEST(JsonPrefix, AcceptsObjectsAndEveryPrefixOfThem) {
    const std::string documents[] = {
        R"({})",
        R"({"a": 1})",
        R"({"name": "Ada", "age": 36, "tags": ["x", "y"], "ok": true, "none": null, "f": false})",
        R"({"n": -0.5e+10, "m": 0, "k": 12.25E-3, "nested": {"deep": [[], {}, [1, [2, {"x": "y"}]]]}})",
        "{\n  \"text\": \"quote \\\" slash \\\\ \\u00e9 tab \\t\",\n  \"utf8\": \"h\xc3\xa9llo\"\n}",
    };
    for (const auto& document : documents) {
        for (std::size_t length = 0; length <= document.size(); ++length) {
            EXPECT_TRUE(accepts(document.substr(0, length))) << document.substr(0, length);
        }
        EXPECT_TRUE(accepts_complete(document)) << document;
        EXPECT_FALSE(accepts_complete(document.substr(0, document.size() - 1))) << document;
    }
}

TEST(JsonPrefix, RefusesWhatNoJsonObjectStartsWith) {
    for (const char* text : {"[1]", "\"s\"", "1", "x", "{a", "{\"a\" 1}", "{\"a\":}", "{\"a\":1,}", "{\"a\":01}",
                             "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":True}",
                             "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":[1}", "{\"a\":{]}", "{}x", "{} ",
                             "{\"a\":\"line\nbreak\"}", "{,}", "{\"a\":1 2}"}) {
        JsonPrefix json;
        const bool whole = json.feed(std::string_view(text));
        EXPECT_FALSE(whole && json.complete()) << text;
        // Some are prefixes of valid objects ("{\"a\":tru"); the rest must be refused outright.
        if (std::string_view(text) != "{\"a\":tru") {
            EXPECT_FALSE(whole) << text;
        }
    }
}

TEST(JsonPrefix, BoundsNestingWhitespaceAndNumbers) {
    EXPECT_TRUE(accepts_complete("{\"n\": -123456789012345.5e-99}"));
    EXPECT_FALSE(accepts("{\"n\": 1234567890123456"));
    EXPECT_FALSE(accepts("{\"n\": 3E631"));

    std::string deep = "{\"a\":";
    for (int i = 1; i < JsonPrefix::kMaxDepth; ++i) deep += "[";
    EXPECT_TRUE(accepts(deep));
    EXPECT_FALSE(accepts(deep + "["));
    EXPECT_TRUE(accepts("{" + std::string(JsonPrefix::kMaxWhitespaceRun, ' ')));
    EXPECT_FALSE(accepts("{" + std::string(JsonPrefix::kMaxWhitespaceRun + 1, ' ')));
}

// Whatever it accepts as complete, a real JSON parser reads as an object; and random objects
// written by that parser, compact or indented, are accepted.
TEST(JsonPrefix, AgreesWithAJsonParser) {
    std::mt19937 rng(7);
    const std::string alphabet = "{}[]\":,-0123456789.eE+truefalsn \\u\"ab";
    int completed = 0;
    for (int trial = 0; trial < 200000; ++trial) {
        std::string text = "{";
        JsonPrefix json;
        json.feed('{');
        for (int i = 0; i < 40 && !json.complete(); ++i) {
            // Extend only with bytes it accepts, so the walk stays inside the language.
            for (int attempt = 0; attempt < 8; ++attempt) {
                const char c = alphabet[rng() % alphabet.size()];
                JsonPrefix copy = json;
                if (copy.feed(static_cast<unsigned char>(c))) {
                    json = copy;
                    text += c;
                    break;
                }
            }
        }
        if (!json.complete()) continue;
        ++completed;
        ASSERT_TRUE(nlohmann::json::accept(text)) << text;
        EXPECT_TRUE(nlohmann::json::parse(text).is_object()) << text;
    }
    EXPECT_GT(completed, 100);

    nlohmann::json object = {{"list", {1, 2.5, -3e-7, "x", nullptr, true}}, {"obj", {{"k", "v\n\"q\""}}}, {"e", {}}};
    EXPECT_TRUE(accepts_complete(object.dump()));
    EXPECT_TRUE(accepts_complete(object.dump(2)));
}

}  // namespace
}  // namespace inhouse::sampling
