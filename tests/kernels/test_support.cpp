#include "kernels/test_support.h"

#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "kernels/quant_table.h"

namespace inhouse::kernels::test_support {

std::vector<float> random_normal(std::size_t n, std::uint32_t seed, float sigma) {
    std::mt19937 engine(seed);
    std::normal_distribution<float> distribution(0.0f, sigma);
    std::vector<float> values(n);
    for (float& value : values) value = distribution(engine);
    return values;
}

double relative_rms_error(std::span<const float> expected, std::span<const float> actual) {
    double error = 0.0;
    double energy = 0.0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const double difference = static_cast<double>(expected[i]) - actual[i];
        error += difference * difference;
        energy += static_cast<double>(expected[i]) * expected[i];
    }
    if (energy == 0.0) return error == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
    return std::sqrt(error / energy);
}

double dot_in_double(std::span<const float> a, std::span<const float> b) {
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += static_cast<double>(a[i]) * b[i];
    return sum;
}

double sum_of_absolute_products(std::span<const float> a, std::span<const float> b) {
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += std::fabs(static_cast<double>(a[i]) * b[i]);
    return sum;
}

std::vector<std::uint8_t> quantize(gguf::TensorType type, std::span<const float> values) {
    const auto n = static_cast<std::int64_t>(values.size());
    std::vector<std::uint8_t> row(row_size_bytes(type, n));
    quantize_row(type, values.data(), row.data(), n);
    return row;
}

std::vector<float> dequantize(gguf::TensorType type, std::span<const std::uint8_t> row,
                              std::int64_t n) {
    std::vector<float> values(static_cast<std::size_t>(n));
    dequantize_row(type, row.data(), values.data(), n);
    return values;
}

std::string fixture_path(std::string_view name) {
    return std::string(INHOUSE_TEST_DATA_DIR) + "/kernels/" + std::string(name);
}

std::optional<nlohmann::json> load_json(const std::string& path) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) return std::nullopt;
    std::stringstream text;
    text << stream.rdbuf();
    auto json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return std::nullopt;
    return json;
}

std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text) {
    auto sextet = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    if (text.size() % 4 != 0) return std::nullopt;
    std::vector<std::uint8_t> bytes;
    bytes.reserve(text.size() / 4 * 3);
    for (std::size_t group = 0; group < text.size(); group += 4) {
        std::uint32_t bits = 0;
        int n_padding = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const char c = text[group + i];
            const bool is_last_group = group + 4 == text.size();
            if (c == '=' && is_last_group && i >= 2) {
                ++n_padding;
                bits <<= 6;
                continue;
            }
            const int value = sextet(c);
            if (value < 0 || n_padding > 0) return std::nullopt;
            bits = (bits << 6) | static_cast<std::uint32_t>(value);
        }
        bytes.push_back(static_cast<std::uint8_t>(bits >> 16));
        if (n_padding < 2) bytes.push_back(static_cast<std::uint8_t>(bits >> 8));
        if (n_padding < 1) bytes.push_back(static_cast<std::uint8_t>(bits));
    }
    return bytes;
}

std::vector<float> floats_from_bytes(std::span<const std::uint8_t> bytes) {
    std::vector<float> values(bytes.size() / sizeof(float));
    std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
    return values;
}

std::string float_bits(float value) {
    return fmt::format("{} (0x{:08x})", value, std::bit_cast<std::uint32_t>(value));
}

}  // namespace inhouse::kernels::test_support

namespace inhouse::kernels {
void PrintTo(const QuantKernels& kernels, std::ostream* out) {
    *out << gguf::tensor_type_name(kernels.type);
}
}  // namespace inhouse::kernels
