// kernels/quant_table.h: the table itself — which types are computable, their activation
// types, and row sizes that agree with the GGUF type table.
#include "kernels/quant_table.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace inhouse::kernels {
namespace {

using gguf::TensorType;

TEST(QuantTable, ListsEveryTypeOfIssueFourOnce) {
    const std::set<TensorType> expected = {
        TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q8_0, TensorType::Q8_1,
        TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1, TensorType::Q2_K,
        TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K, TensorType::Q8_K};
    std::set<TensorType> listed;
    for (const auto& row : all_quant_kernels()) {
        EXPECT_TRUE(listed.insert(row.type).second) << gguf::tensor_type_name(row.type) << " twice";
    }
    EXPECT_EQ(listed, expected);
}

TEST(QuantTable, QuantizesActivationsAsGgmlsVecDotTypeDoes) {
    EXPECT_EQ(activation_type(TensorType::F32), TensorType::F32);
    EXPECT_EQ(activation_type(TensorType::F16), TensorType::F16);
    EXPECT_EQ(activation_type(TensorType::BF16), TensorType::BF16);
    for (const auto type : {TensorType::Q4_0, TensorType::Q5_0, TensorType::Q8_0}) {
        EXPECT_EQ(activation_type(type), TensorType::Q8_0) << gguf::tensor_type_name(type);
    }
    for (const auto type : {TensorType::Q4_1, TensorType::Q5_1}) {
        EXPECT_EQ(activation_type(type), TensorType::Q8_1) << gguf::tensor_type_name(type);
    }
    for (const auto type : {TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K,
                            TensorType::Q6_K}) {
        EXPECT_EQ(activation_type(type), TensorType::Q8_K) << gguf::tensor_type_name(type);
    }
}

TEST(QuantTable, EveryActivationTypeIsItselfComputableWithTheSameBlockSize) {
    for (const auto& row : all_quant_kernels()) {
        ASSERT_TRUE(is_computable(row.activation_type)) << gguf::tensor_type_name(row.type);
        EXPECT_EQ(activation_type(row.activation_type), row.activation_type);
        // dot() walks both rows block by block, so their blocks must cover the same elements.
        EXPECT_EQ(gguf::tensor_type_info(row.type).block_size,
                  gguf::tensor_type_info(row.activation_type).block_size)
            << gguf::tensor_type_name(row.type);
    }
}

TEST(QuantTable, SaysWhichTypesHaveNoKernelsYet) {
    EXPECT_FALSE(is_computable(TensorType::IQ2_XXS));
    EXPECT_FALSE(is_computable(TensorType::MXFP4));
    EXPECT_FALSE(is_computable(TensorType::I32));
    std::size_t n_computable = 0;
    for (const auto& info : gguf::all_tensor_types()) n_computable += is_computable(info.type);
    EXPECT_EQ(n_computable, all_quant_kernels().size());
}

TEST(QuantTable, SizesRowsFromTheGgufTypeTable) {
    for (const auto& info : gguf::all_tensor_types()) {
        EXPECT_EQ(row_size_bytes(info.type, 0), 0u);
        EXPECT_EQ(row_size_bytes(info.type, 7 * std::int64_t{info.block_size}),
                  7u * info.block_size_bytes)
            << info.name;
    }
    EXPECT_EQ(row_size_bytes(TensorType::Q4_K, 4096), 16u * 144u);
    EXPECT_EQ(row_size_bytes(TensorType::Q8_0, 576), 18u * 34u);
}

TEST(QuantTableDeathTest, AbortsOnATypeWithoutKernels) {
    std::vector<float> values(256);
    EXPECT_DEATH(dequantize_row(TensorType::IQ2_XXS, values.data(), values.data(), 256),
                 "IQ2_XXS has no kernels");
}

TEST(QuantTableDeathTest, DebugBuildsAbortOnARowThatIsNotWholeBlocks) {
    std::vector<std::uint8_t> row(row_size_bytes(TensorType::Q4_0, 64));
    std::vector<float> values(64);
    EXPECT_DEBUG_DEATH(dequantize_row(TensorType::Q4_0, row.data(), values.data(), 33),
                       "not a whole number of Q4_0 blocks");
}

}  // namespace
}  // namespace inhouse::kernels
