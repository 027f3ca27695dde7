// The model catalog, the quantization recipes and synthetic models. The strongest checks
// are against real files: a synthetic Gemma 3 270M Q4_K_M must have the real file's tensor
// types one by one (INHOUSE_TEST_GEMMA3), and parameter counts equal those of the real
// SmolLM2 and Gemma files.
#include <gtest/gtest.h>

#include "support/real_models.h"

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unistd.h>

#include "catalog/model_catalog.h"
#include "catalog/quant_recipe.h"
#include "catalog/synthetic_model.h"
#include "catalog/tensor_layout.h"
#include "gguf/gguf_file.h"

namespace inhouse::catalog {
namespace {

using gguf::TensorType;

TEST(ModelCatalog, HasTheShapesTheBenchmarksAndPlannerNeed) {
    for (const char* name : {"llama-2-7b", "llama-2-13b", "llama-3.2-1b", "llama-3.2-3b", "llama-3.1-8b", "mistral-7b",
                             "qwen2.5-0.5b", "qwen2.5-7b", "phi-3-mini", "gemma-3-270m", "gemma-3-1b", "smollm2-135m",
                             "smollm2-360m", "smollm2-1.7b", "llama-2-70b", "llama-3.1-70b", "qwen2.5-14b",
                             "qwen2.5-72b", "mixtral-8x7b"}) {
        EXPECT_TRUE(find_model_shape(name).ok()) << name;
    }
}

TEST(ModelCatalog, EntriesAreConsistent) {
    std::set<std::string> names;
    for (const auto& shape : model_catalog()) {
        EXPECT_TRUE(names.insert(shape.name).second) << "duplicate " << shape.name;
        for (const char c : shape.name) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c))) << shape.name;
        EXPECT_TRUE(shape.source.starts_with("https://")) << shape.name;
        EXPECT_GT(shape.n_layers, 0) << shape.name;
        EXPECT_EQ(shape.n_heads % shape.n_kv_heads, 0) << shape.name << ": heads must group over KV heads";
        EXPECT_GT(shape.head_dim, 0) << shape.name;
        EXPECT_GT(shape.n_ctx_train, 0) << shape.name;
    }
}

TEST(ModelCatalog, UnknownNameListsTheKnownOnes) {
    const auto missing = find_model_shape("llama-9-1t");
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message().find("llama-2-7b"), std::string::npos) << missing.error().message();
}

// Exact counts: the real files (gguf inspect) and Meta's published 6,738,415,616 for Llama 2 7B.
TEST(ModelCatalog, ParameterCountsEqualTheRealModels) {
    EXPECT_EQ((*find_model_shape("smollm2-135m"))->parameter_count(), 134'515'008);
    EXPECT_EQ((*find_model_shape("gemma-3-270m"))->parameter_count(), 268'098'176);
    EXPECT_EQ((*find_model_shape("llama-2-7b"))->parameter_count(), 6'738'415'616);
    // Mistral's published 46,702,792,704 for Mixtral 8x7B: eight FFNs and a router per layer.
    EXPECT_EQ((*find_model_shape("mixtral-8x7b"))->parameter_count(), 46'702'792'704);
}

ModelTraits dense_traits(std::int64_t n_layers, std::int64_t n_heads, std::int64_t n_kv_heads) {
    return {.n_layers = n_layers, .n_heads = n_heads, .n_kv_heads = n_kv_heads};
}

TEST(QuantRecipe, FollowsLlamaCppsQ4KMMix) {
    const auto recipe = *find_quant_recipe("q4_k_m");
    const auto type = [&](TensorRole role, std::int64_t layer) {
        return tensor_type_for(recipe, dense_traits(32, 32, 32), role, layer, 4096);
    };
    // use_more_bits over 32 layers: 0-3, 28-31, and 6, 9, 12, …
    EXPECT_EQ(type(TensorRole::AttnV, 0), TensorType::Q6_K);
    EXPECT_EQ(type(TensorRole::AttnV, 4), TensorType::Q4_K);
    EXPECT_EQ(type(TensorRole::AttnV, 6), TensorType::Q6_K);
    EXPECT_EQ(type(TensorRole::FfnDown, 9), TensorType::Q6_K);
    EXPECT_EQ(type(TensorRole::FfnDown, 10), TensorType::Q4_K);
    EXPECT_EQ(type(TensorRole::AttnQ, 0), TensorType::Q4_K);
    EXPECT_EQ(type(TensorRole::Output, 0), TensorType::Q6_K);
    EXPECT_EQ(type(TensorRole::TokenEmbedding, 0), TensorType::Q4_K);
    EXPECT_EQ(type(TensorRole::Vector, 0), TensorType::F32);
    // Rows that are not whole super-blocks fall back.
    ModelTraits gemma = dense_traits(18, 4, 1);
    gemma.tied_embeddings = true;
    EXPECT_EQ(tensor_type_for(recipe, gemma, TensorRole::AttnQ, 4, 640), TensorType::Q5_0);
    EXPECT_EQ(tensor_type_for(recipe, gemma, TensorRole::TokenEmbedding, 0, 640), TensorType::Q8_0);
    EXPECT_FALSE(find_quant_recipe("Q7_X").ok());
}

TEST(QuantRecipe, FollowsLlamaCppsQ3KMAndQ2KMixes) {
    const auto q3 = *find_quant_recipe("Q3_K_M");
    const ModelTraits llama2 = dense_traits(32, 32, 32);
    EXPECT_EQ(tensor_type_for(q3, llama2, TensorRole::AttnV, 0, 4096), TensorType::Q5_K);
    EXPECT_EQ(tensor_type_for(q3, llama2, TensorRole::AttnV, 2, 4096), TensorType::Q4_K);
    EXPECT_EQ(tensor_type_for(q3, llama2, TensorRole::AttnQ, 1, 4000), TensorType::Q4_0)
        << "a row that is no whole super-block falls back";
    EXPECT_EQ(tensor_type_for(q3, llama2, TensorRole::FfnDown, 1, 11008), TensorType::Q5_K);
    EXPECT_EQ(tensor_type_for(q3, llama2, TensorRole::FfnDown, 2, 11008), TensorType::Q4_K);
    EXPECT_EQ(tensor_type_for(q3, llama2, TensorRole::AttnOutput, 5, 4096), TensorType::Q4_K);
    EXPECT_EQ(tensor_type_for(q3, llama2, TensorRole::AttnQ, 5, 4096), TensorType::Q3_K);
    EXPECT_EQ(tensor_type_for(q3, llama2, TensorRole::Output, 0, 4096), TensorType::Q6_K);

    const auto q2 = *find_quant_recipe("q2_k");
    EXPECT_EQ(tensor_type_for(q2, llama2, TensorRole::AttnV, 7, 4096), TensorType::Q3_K);
    EXPECT_EQ(tensor_type_for(q2, dense_traits(32, 32, 8), TensorRole::AttnV, 7, 4096), TensorType::Q4_K)
        << "grouped-query attention of 4 or more keeps V in 4 bits";
    EXPECT_EQ(tensor_type_for(q2, llama2, TensorRole::FfnDown, 7, 11008), TensorType::Q3_K);
    EXPECT_EQ(tensor_type_for(q2, llama2, TensorRole::FfnUp, 7, 4096), TensorType::Q2_K);
}

TEST(QuantRecipe, SeventyBillionAndEightExpertModelsGetTheirBumps) {
    const auto q4 = *find_quant_recipe("Q4_K_M");
    const ModelTraits llama70 = model_traits(**find_model_shape("llama-3.1-70b"));
    EXPECT_TRUE(llama70.is_70b_class);
    EXPECT_EQ(tensor_type_for(q4, llama70, TensorRole::AttnV, 11, 8192), TensorType::Q5_K);
    EXPECT_EQ(tensor_type_for(q4, llama70, TensorRole::AttnV, 0, 8192), TensorType::Q6_K);
    EXPECT_FALSE(model_traits(**find_model_shape("llama-2-13b")).is_70b_class);

    const ModelTraits mixtral = model_traits(**find_model_shape("mixtral-8x7b"));
    EXPECT_EQ(mixtral.n_experts, 8);
    const auto q4_0 = *find_quant_recipe("Q4_0");
    EXPECT_EQ(tensor_type_for(q4_0, mixtral, TensorRole::AttnV, 11, 4096), TensorType::Q8_0);
    EXPECT_EQ(tensor_type_for(q4_0, mixtral, TensorRole::AttnK, 11, 4096), TensorType::Q8_0);
    EXPECT_EQ(tensor_type_for(q4, mixtral, TensorRole::AttnOutput, 11, 4096), TensorType::Q5_K);
    EXPECT_EQ(tensor_type_for(q4, mixtral, TensorRole::Router, 11, 4096), TensorType::F32);
    EXPECT_EQ(tensor_type_for(*find_quant_recipe("F16"), mixtral, TensorRole::AttnV, 11, 4096), TensorType::F16);
}

TEST(TensorLayout, ExpertsAreStackedAndRoutedAsGgufStoresThem) {
    const ModelShape& mixtral = **find_model_shape("mixtral-8x7b");
    std::int64_t elements = 0;
    int expert_tensors = 0;
    for (const auto& tensor : tensor_layout(mixtral)) {
        elements += tensor.n_rows * tensor.n_cols;
        if (tensor.name.ends_with("_exps.weight")) ++expert_tensors;
        if (tensor.name == "blk.0.ffn_gate_exps.weight") {
            EXPECT_EQ(tensor.n_rows, 8 * 14336);
        }
        if (tensor.name == "blk.0.ffn_gate_inp.weight") {
            EXPECT_EQ(tensor.role, TensorRole::Router);
        }
        EXPECT_EQ(tensor.name.find("blk.0.ffn_gate.weight"), std::string::npos);
    }
    EXPECT_EQ(expert_tensors, 3 * 32);
    EXPECT_EQ(elements, mixtral.parameter_count());
    const auto refused = write_synthetic_model(mixtral, *find_quant_recipe("Q4_0"), "/nonexistent/never-written.gguf");
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message().find("mixture-of-experts"), std::string::npos);
}

class SyntheticModel : public ::testing::Test {
protected:
    void TearDown() override { std::filesystem::remove(path_); }
    std::string path_ = (std::filesystem::temp_directory_path() / ("synthetic-test-" + std::to_string(getpid()) + ".gguf")).string();
};

TEST_F(SyntheticModel, HasTheShapeAndMixOfTheRealGemmaFile) {
    ASSERT_TRUE(write_synthetic_model(**find_model_shape("gemma-3-270m"), *find_quant_recipe("Q4_K_M"), path_).ok());
    auto synthetic = gguf::GgufFile::open(path_);
    ASSERT_TRUE(synthetic.ok()) << synthetic.error().to_string();
    std::map<TensorType, int> counts;
    std::uint64_t n_parameters = 0;
    for (const auto& tensor : synthetic->tensors()) {
        ++counts[tensor.type];
        n_parameters += tensor.n_elements;
    }
    // The published gemma-3-270m Q4_K_M file: 109 F32, 27 Q4_K, 81 Q5_0, 9 Q6_K, 10 Q8_0.
    EXPECT_EQ(counts, (std::map<TensorType, int>{{TensorType::F32, 109}, {TensorType::Q4_K, 27}, {TensorType::Q5_0, 81},
                                                 {TensorType::Q6_K, 9}, {TensorType::Q8_0, 10}}));
    EXPECT_EQ(n_parameters, 268'098'176u);
    const auto real_path = test_models::real_model_path("INHOUSE_TEST_GEMMA3");
    if (!real_path) return;
    auto real = gguf::GgufFile::open(*real_path);
    ASSERT_TRUE(real.ok());
    for (const auto& tensor : real->tensors()) {
        const auto* ours = synthetic->find_tensor(tensor.name);
        ASSERT_NE(ours, nullptr) << tensor.name;
        EXPECT_EQ(ours->type, tensor.type) << tensor.name;
        EXPECT_EQ(ours->ne, tensor.ne) << tensor.name;
    }
}

TEST_F(SyntheticModel, RefusesAnArchitectureItCannotBuild) {
    ModelShape shape = **find_model_shape("llama-2-7b");
    shape.synthesize_as = "mamba";
    const auto status = write_synthetic_model(shape, *find_quant_recipe("Q4_0"), path_);
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().message().find("mamba"), std::string::npos);
}

}  // namespace
}  // namespace inhouse::catalog
