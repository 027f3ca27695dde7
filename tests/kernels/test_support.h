// Shared helpers of the kernels tests: random rows, error measures, and reading the JSON
// fixtures in tests/data/kernels (written by tools/make_quant_fixtures.py).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gguf/tensor_type.h"
#include "kernels/quant_table.h"

namespace inhouse::kernels::test_support {

// n samples of N(0, sigma²), the same for the same seed.
std::vector<float> random_normal(std::size_t n, std::uint32_t seed, float sigma = 1.0f);

// sqrt(Σ (expected - actual)² / Σ expected²); 0 when both are all zeros.
double relative_rms_error(std::span<const float> expected, std::span<const float> actual);

// Σ a[i] · b[i] in double.
double dot_in_double(std::span<const float> a, std::span<const float> b);

// Σ |a[i] · b[i]| in double: the scale against which a dot product's error is judged.
double sum_of_absolute_products(std::span<const float> a, std::span<const float> b);

// Quantizes `values` to `type` (a whole number of blocks) and returns the row's bytes.
std::vector<std::uint8_t> quantize(gguf::TensorType type, std::span<const float> values);

// Dequantizes a row of n elements stored as `type`.
std::vector<float> dequantize(gguf::TensorType type, std::span<const std::uint8_t> row,
                              std::int64_t n);

// INHOUSE_TEST_DATA_DIR/kernels/<name>.
std::string fixture_path(std::string_view name);

// The parsed file, or nullopt when it is missing or not JSON.
std::optional<nlohmann::json> load_json(const std::string& path);

// Standard base64 (with padding); nullopt on a malformed string.
std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text);

// Little-endian float32s.
std::vector<float> floats_from_bytes(std::span<const std::uint8_t> bytes);

// Float bits as 0x…, for failure messages.
std::string float_bits(float value);

}  // namespace inhouse::kernels::test_support

namespace inhouse::kernels {
// Names a table row by its type in test output (found by gtest through ADL).
void PrintTo(const QuantKernels& kernels, std::ostream* out);
}  // namespace inhouse::kernels
