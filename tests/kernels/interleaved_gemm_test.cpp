// The products over rows interleaved eight at a time (kernels/interleave.h): the scalar
// reference against the plain dot product (same integer sums, float rounding only), every
// SIMD level bit for bit against the reference, batching that cannot change a token's
// result, and matmul giving the same answer from either layout.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/interleave.h"
#include "kernels/matmul.h"
#include "kernels/quant_table.h"
#include "kernels/test_support.h"

namespace inhouse::kernels {
namespace {

using test_support::quantize;
using test_support::random_normal;

// |interleaved − dot| / magnitude_of_terms: float rounding of two summation orders.
constexpr double kTolerance = 2e-6;

// Σ_i max|w| of i's block · |a_i|: bounds every term the kernels add (the level sum and, for
// formats with a minimum, m · Σa), which can be far larger than Σ|w_i · a_i| when they cancel.
double magnitude_of_terms(const std::vector<float>& w, const std::vector<float>& a, int block) {
    double total = 0.0;
    for (std::size_t start = 0; start < w.size(); start += static_cast<std::size_t>(block)) {
        double largest = 0.0;
        for (int i = 0; i < block; ++i) largest = std::max(largest, std::fabs(static_cast<double>(w[start + i])));
        for (int i = 0; i < block; ++i) total += largest * std::fabs(static_cast<double>(a[start + i]));
    }
    return total;
}

std::vector<QuantKernels> every_interleaved_type() {
    std::vector<QuantKernels> types;
    for (const auto& kernels : all_quant_kernels()) {
        if (kernels.interleaved.interleave != nullptr) types.push_back(kernels);
    }
    return types;
}

// Random rows of one type, with outliers as real weights have, back to back.
struct Matrix {
    std::vector<std::uint8_t> bytes;
    std::int64_t n_rows = 0;
    std::int64_t n_cols = 0;
    std::size_t row_bytes = 0;

    Matrix(gguf::TensorType type, std::int64_t rows, std::int64_t cols, std::uint32_t seed, float sigma)
        : n_rows(rows), n_cols(cols) {
        for (std::int64_t r = 0; r < rows; ++r) {
            auto values = random_normal(static_cast<std::size_t>(cols), seed + static_cast<std::uint32_t>(r), sigma);
            for (std::size_t i = static_cast<std::size_t>(r) % 29; i < values.size(); i += 29) values[i] *= 30.0f;
            if (r % 3 == 1) {
                for (float& v : values) v += 0.4f;
            }
            const auto row = quantize(type, values);
            bytes.insert(bytes.end(), row.begin(), row.end());
        }
        row_bytes = bytes.size() / static_cast<std::size_t>(rows);
    }
    const std::uint8_t* row(std::int64_t r) const { return bytes.data() + static_cast<std::size_t>(r) * row_bytes; }
};

// The rows interleaved, and the layout's bytes per row.
struct Interleaved {
    std::vector<std::uint8_t> bytes;
    std::size_t row_bytes = 0;
};

Interleaved interleaved_copy(const QuantKernels& kernels, const Matrix& w) {
    Interleaved out;
    out.row_bytes = interleaved_row_size_bytes(kernels.type, w.n_cols);
    out.bytes.resize(out.row_bytes * static_cast<std::size_t>(w.n_rows));
    for (std::int64_t r = 0; r < w.n_rows; r += kInterleavedRows) {
        kernels.interleaved.interleave(w.row(r), w.row_bytes, w.n_cols,
                                       out.bytes.data() + static_cast<std::size_t>(r) * out.row_bytes);
    }
    return out;
}

class InterleavedGemm : public ::testing::TestWithParam<QuantKernels> {};

TEST_P(InterleavedGemm, ReferenceMatchesThePlainDotProduct) {
    const QuantKernels& kernels = GetParam();
    const int block = static_cast<int>(gguf::tensor_type_info(kernels.type).block_size);
    for (const std::int64_t n_rows : {8, 16, 40}) {
        for (const int n_blocks : {1, 3, 18}) {
            const std::int64_t n_cols = std::int64_t{n_blocks} * block;
            const Matrix w(kernels.type, n_rows, n_cols, 10, 0.5f);
            const Matrix a(kernels.activation_type, 5, n_cols, 90, 2.0f);
            const auto groups = interleaved_copy(kernels, w);
            std::vector<float> y(static_cast<std::size_t>(n_rows * a.n_rows));
            kernels.interleaved.gemm(groups.bytes.data(), groups.row_bytes, n_rows, a.bytes.data(), a.row_bytes, a.n_rows, n_cols,
                                     y.data(), n_rows);
            for (std::int64_t t = 0; t < a.n_rows; ++t) {
                for (std::int64_t r = 0; r < n_rows; ++r) {
                    const auto w_values = test_support::dequantize(kernels.type, {w.row(r), w.row_bytes}, n_cols);
                    const auto a_values = test_support::dequantize(kernels.activation_type, {a.row(t), a.row_bytes}, n_cols);
                    const double scale = magnitude_of_terms(w_values, a_values, block);
                    const float expected = kernels.dot(w.row(r), a.row(t), n_cols);
                    const float actual = y[static_cast<std::size_t>(t * n_rows + r)];
                    EXPECT_LE(std::fabs(static_cast<double>(actual) - expected) / scale, kTolerance)
                        << n_rows << "×" << n_cols << " row " << r << " token " << t;
                }
            }
        }
    }
}

// Every runnable level, every shape of tiles and edges, equals the reference bit for bit; and
// each token's outputs equal those of the token multiplied alone.
TEST_P(InterleavedGemm, SimdIsBitIdenticalToTheReferenceAndToOneTokenAtATime) {
    const QuantKernels& kernels = GetParam();
    const std::int64_t n_cols = 7 * gguf::tensor_type_info(kernels.type).block_size;
    int levels_run = 0;
    for (const SimdLevel level : {SimdLevel::kAvx2, SimdLevel::kAvx512, SimdLevel::kAmx}) {
        const GemmFn simd = interleaved_gemm_kernel_at(kernels.type, level);
        if (simd == nullptr || !cpu_supports(level)) continue;
        ++levels_run;
        for (const std::int64_t n_rows : {8, 16, 24, 40}) {
            const Matrix w(kernels.type, n_rows, n_cols, 500, 0.7f);
            const auto groups = interleaved_copy(kernels, w);
            // 16 and more: the AMX tiles' 16 tokens, with and without tokens left over.
            for (const std::int64_t n_tokens : {1, 2, 3, 4, 5, 9, 16, 35}) {
                const Matrix a(kernels.activation_type, n_tokens, n_cols, 700, 2.0f);
                const auto size = static_cast<std::size_t>(n_rows * n_tokens);
                std::vector<float> expected(size);
                std::vector<float> actual(size, -1.0f);
                kernels.interleaved.gemm(groups.bytes.data(), groups.row_bytes, n_rows, a.bytes.data(), a.row_bytes, n_tokens,
                                         n_cols, expected.data(), n_rows);
                simd(groups.bytes.data(), groups.row_bytes, n_rows, a.bytes.data(), a.row_bytes, n_tokens, n_cols, actual.data(),
                     n_rows);
                for (std::int64_t t = 0; t < n_tokens; ++t) {
                    std::vector<float> alone(static_cast<std::size_t>(n_rows));
                    simd(groups.bytes.data(), groups.row_bytes, n_rows, a.row(t), a.row_bytes, 1, n_cols, alone.data(), n_rows);
                    for (std::int64_t r = 0; r < n_rows; ++r) {
                        const auto i = static_cast<std::size_t>(t * n_rows + r);
                        ASSERT_EQ(std::bit_cast<std::uint32_t>(actual[i]), std::bit_cast<std::uint32_t>(expected[i]))
                            << simd_level_name(level) << " " << n_rows << " rows × " << n_tokens << " tokens, row " << r
                            << " token " << t;
                        ASSERT_EQ(std::bit_cast<std::uint32_t>(alone[static_cast<std::size_t>(r)]),
                                  std::bit_cast<std::uint32_t>(actual[i]))
                            << simd_level_name(level) << " token " << t << " alone, row " << r;
                    }
                }
            }
        }
    }
    if (levels_run == 0) GTEST_SKIP() << "this CPU runs no SIMD level with an interleaved kernel";
}

// matmul reads an interleaved view as it reads the plain one, alone and among other matrices.
TEST_P(InterleavedGemm, MatmulGivesTheSameAnswerFromEitherLayout) {
    const QuantKernels& kernels = GetParam();
    const std::int64_t n_cols = 6 * gguf::tensor_type_info(kernels.type).block_size;
    const Matrix w(kernels.type, 48, n_cols, 800, 0.6f);
    const TensorView plain{.type = kernels.type,
                           .n_rows = w.n_rows,
                           .n_cols = n_cols,
                           .row_size_bytes = w.row_bytes,
                           .data = w.bytes.data(),
                           .interleaved_rows = 0};
    if (!should_interleave(plain)) GTEST_SKIP() << "no interleaved kernel at this CPU's level";
    std::vector<std::uint8_t> storage(interleaved_size_bytes(plain));
    const TensorView interleaved = interleave(plain, storage.data());
    EXPECT_EQ(interleaved.interleaved_rows, kInterleavedRows);

    const std::int64_t n_tokens = 7;
    const auto x = random_normal(static_cast<std::size_t>(n_tokens * n_cols), 900);
    std::vector<std::uint8_t> scratch(matmul_scratch_bytes(kernels.type, n_cols, n_tokens));
    ThreadPool pool(2);
    std::vector<float> from_plain(static_cast<std::size_t>(n_tokens * w.n_rows));
    std::vector<float> from_interleaved(from_plain.size());
    std::vector<float> shared_first(from_plain.size());
    std::vector<float> shared_second(from_plain.size());
    matmul(plain, x.data(), n_tokens, from_plain.data(), scratch, pool);
    matmul(interleaved, x.data(), n_tokens, from_interleaved.data(), scratch, pool);
    const MatmulTarget targets[] = {{.w = &interleaved, .y = shared_first.data()},
                                    {.w = &interleaved, .y = shared_second.data()}};
    matmul_shared_input(targets, x.data(), n_tokens, scratch, pool);
    EXPECT_LE(test_support::relative_rms_error(from_plain, from_interleaved), 1e-6);
    for (std::size_t i = 0; i < from_plain.size(); ++i) {
        ASSERT_EQ(std::bit_cast<std::uint32_t>(shared_first[i]), std::bit_cast<std::uint32_t>(from_interleaved[i])) << i;
        ASSERT_EQ(std::bit_cast<std::uint32_t>(shared_second[i]), std::bit_cast<std::uint32_t>(from_interleaved[i])) << i;
    }
}

// A row taken back out of its group is the row as stored, byte for byte, and an embedding
// lookup (get_row) in the interleaved copy equals the one in the original.
TEST_P(InterleavedGemm, EveryRowComesBackOutOfItsGroup) {
    const QuantKernels& kernels = GetParam();
    const std::int64_t n_cols = 3 * gguf::tensor_type_info(kernels.type).block_size;
    const Matrix w(kernels.type, 24, n_cols, 1200, 0.8f);
    const auto groups = interleaved_copy(kernels, w);
    const TensorView plain{.type = kernels.type,
                           .n_rows = w.n_rows,
                           .n_cols = n_cols,
                           .row_size_bytes = w.row_bytes,
                           .data = w.bytes.data(),
                           .interleaved_rows = 0};
    TensorView interleaved = plain;
    interleaved.data = groups.bytes.data();
    interleaved.row_size_bytes = groups.row_bytes;
    interleaved.interleaved_rows = kInterleavedRows;
    std::vector<std::uint8_t> row(w.row_bytes);
    std::vector<float> expected(static_cast<std::size_t>(n_cols));
    std::vector<float> actual(static_cast<std::size_t>(n_cols));
    for (std::int64_t r = 0; r < w.n_rows; ++r) {
        const std::int64_t first = r / kInterleavedRows * kInterleavedRows;
        kernels.interleaved.deinterleave_row(groups.bytes.data() + static_cast<std::size_t>(first) * groups.row_bytes,
                                             static_cast<int>(r - first), n_cols, row.data());
        ASSERT_EQ(row, std::vector<std::uint8_t>(w.row(r), w.row(r) + w.row_bytes)) << "row " << r;
        get_row(plain, r, expected.data());
        get_row(interleaved, r, actual.data());
        ASSERT_EQ(actual, expected) << "row " << r;
    }
}

TEST_P(InterleavedGemm, OnlyWholeGroupsOfEightRowsAreInterleaved) {
    const QuantKernels& kernels = GetParam();
    const std::int64_t n_cols = gguf::tensor_type_info(kernels.type).block_size;
    TensorView view{.type = kernels.type,
                    .n_rows = 12,
                    .n_cols = n_cols,
                    .row_size_bytes = row_size_bytes(kernels.type, n_cols),
                    .data = nullptr,
                    .interleaved_rows = 0};
    EXPECT_FALSE(should_interleave(view));
    view.n_rows = 16;
    EXPECT_EQ(should_interleave(view), interleaved_gemm_kernel(kernels.type) != nullptr);
    view.interleaved_rows = kInterleavedRows;
    EXPECT_FALSE(should_interleave(view)) << "already interleaved";
}

INSTANTIATE_TEST_SUITE_P(EveryInterleavedType, InterleavedGemm, ::testing::ValuesIn(every_interleaved_type()),
                         [](const auto& param_info) {
                             return std::string(gguf::tensor_type_name(param_info.param.type));
                         });

}  // namespace
}  // namespace inhouse::kernels
