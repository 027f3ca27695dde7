// The real SmolLM2 (INHOUSE_TEST_SMOLLM2), its model and tokenizer loaded for each test; the
// test skips without it. Shared by the engine tests that generate text.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "gguf/gguf_file.h"
#include "model/model.h"
#include "sampling/sampling_params.h"
#include "support/real_models.h"
#include "tokenizer/tokenizer.h"

namespace inhouse::engine {

class SmolLM2Test : public ::testing::Test {
protected:
    void SetUp() override {
        const auto path = test_models::real_model_path("INHOUSE_TEST_SMOLLM2");
        if (!path) GTEST_SKIP() << "set INHOUSE_TEST_SMOLLM2 to run this test";
        auto file = gguf::GgufFile::open(*path);
        ASSERT_TRUE(file.ok());
        auto shared = std::make_shared<const gguf::GgufFile>(std::move(file).value());
        auto tokenizer = tokenizer::Tokenizer::load(*shared);
        ASSERT_TRUE(tokenizer.ok());
        tokenizer_.emplace(std::move(tokenizer).value());
        auto model = model::Model::load(shared);
        ASSERT_TRUE(model.ok()) << model.error().to_string();
        model_ = std::move(model).value();
    }

    // Greedy, ending at the model's end-of-generation tokens or after max_tokens.
    sampling::SamplingParams greedy(std::int32_t max_tokens) const {
        sampling::SamplingParams params;
        params.temperature = 0;
        params.max_tokens = max_tokens;
        params.end_of_generation_ids = tokenizer_->vocab().special().end_of_generation;
        return params;
    }

    std::optional<tokenizer::Tokenizer> tokenizer_;
    std::unique_ptr<model::Model> model_;
};

}  // namespace inhouse::engine
