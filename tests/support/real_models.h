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

}  // namespace inhouse::test_models
