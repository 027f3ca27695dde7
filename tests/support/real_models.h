// Where tests find the real models: INHOUSE_TEST_SMOLLM2 and INHOUSE_TEST_GEMMA3 name the .gguf
// files (make test sets them). Without one a test skips, unless INHOUSE_REQUIRE_MODELS=1, when
// the missing model is a failure, so a run cannot pass by skipping.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace inhouse::test_models {

// The path in `variable`, or nullopt (having recorded a fatal failure if models are required,
// so that a SetUp calling this keeps the test body from running). Callers skip on nullopt:
// `if (!path) GTEST_SKIP() << …;`.
inline std::optional<std::string> real_model_path(const char* variable) {
    const char* path = std::getenv(variable);
    if (path != nullptr && *path != '\0') return std::string(path);
    const char* required = std::getenv("INHOUSE_REQUIRE_MODELS");
    if (required != nullptr && std::string(required) == "1") {
        [variable] { FAIL() << variable << " is unset and INHOUSE_REQUIRE_MODELS=1"; }();
    }
    return std::nullopt;
}

// A real model and the fixture a test compares it with, for tests parameterized over both.
struct ModelCase {
    const char* variable;  // INHOUSE_TEST_SMOLLM2 or INHOUSE_TEST_GEMMA3
    const char* fixture;   // a file under tests/data/model/
};

// Test-name suffix: SmolLM2 or Gemma3.
inline std::string model_case_name(const ::testing::TestParamInfo<ModelCase>& info) {
    return std::string(info.param.fixture).starts_with("smollm2") ? "SmolLM2" : "Gemma3";
}

}  // namespace inhouse::test_models
