#include "catalog/synthetic_model.h"

#include "catalog/tensor_layout.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "gguf/gguf_writer.h"
#include "kernels/quant_table.h"

namespace inhouse::catalog {

namespace {

using gguf::TensorType;

constexpr int kPoolRows = 16;
constexpr float kWeightSigma = 0.02f;


// Llama 3's RoPE frequency scaling as GGUF stores it: one divisor per frequency.
std::vector<float> llama3_rope_divisors(const ModelShape& shape) {
    const auto& s = *shape.llama3_rope_scaling;
    const double low_wavelength = static_cast<double>(s.original_context) / s.low_freq_factor;
    const double high_wavelength = static_cast<double>(s.original_context) / s.high_freq_factor;
    std::vector<float> divisors;
    for (std::int64_t i = 0; i < shape.head_dim; i += 2) {
        const double frequency = 1.0 / std::pow(shape.rope_theta, static_cast<double>(i) / static_cast<double>(shape.head_dim));
        const double wavelength = 2 * M_PI / frequency;
        double divisor = 1.0;
        if (wavelength > low_wavelength) {
            divisor = s.factor;
        } else if (wavelength >= high_wavelength) {
            const double smooth = (static_cast<double>(s.original_context) / wavelength - s.low_freq_factor) /
                                  (s.high_freq_factor - s.low_freq_factor);
            divisor = 1.0 / ((1 - smooth) / s.factor + smooth);
        }
        divisors.push_back(static_cast<float>(divisor));
    }
    return divisors;
}


void add_metadata(gguf::GgufWriter& writer, const ModelShape& shape, const QuantRecipe& recipe) {
    const std::string& arch = shape.synthesize_as;
    const auto key = [&arch](std::string_view what) { return fmt::format("{}.{}", arch, what); };
    writer.add_string("general.architecture", arch);
    writer.add_string("general.name", fmt::format("synthetic {} {} (random weights)", shape.display, recipe.name));
    writer.add_uint32(key("block_count"), static_cast<std::uint32_t>(shape.n_layers));
    writer.add_uint32(key("context_length"), static_cast<std::uint32_t>(shape.n_ctx_train));
    writer.add_uint32(key("embedding_length"), static_cast<std::uint32_t>(shape.n_embd));
    writer.add_uint32(key("feed_forward_length"), static_cast<std::uint32_t>(shape.n_ff));
    writer.add_uint32(key("attention.head_count"), static_cast<std::uint32_t>(shape.n_heads));
    writer.add_uint32(key("attention.head_count_kv"), static_cast<std::uint32_t>(shape.n_kv_heads));
    writer.add_uint32(key("attention.key_length"), static_cast<std::uint32_t>(shape.head_dim));
    writer.add_uint32(key("attention.value_length"), static_cast<std::uint32_t>(shape.head_dim));
    writer.add_uint32(key("rope.dimension_count"), static_cast<std::uint32_t>(shape.head_dim));
    writer.add_float32(key("rope.freq_base"), static_cast<float>(shape.rope_theta));
    writer.add_float32(key("attention.layer_norm_rms_epsilon"), static_cast<float>(shape.rms_eps));
    writer.add_uint32(key("vocab_size"), static_cast<std::uint32_t>(shape.n_vocab));
    if (shape.sliding_window > 0) {
        writer.add_uint32(key("attention.sliding_window"), static_cast<std::uint32_t>(shape.sliding_window));
    }
    if (shape.sliding_window_pattern > 0) {
        writer.add_uint32(key("attention.sliding_window_pattern"), static_cast<std::uint32_t>(shape.sliding_window_pattern));
    }
    if (shape.rope_theta_swa > 0) writer.add_float32(key("rope.freq_base_swa"), static_cast<float>(shape.rope_theta_swa));
    // No vocabulary: llama.cpp then makes vocab_size dummy tokens; inhouse needs none to run.
    writer.add_string("tokenizer.ggml.model", "no_vocab");
}

// kPoolRows quantized rows of random normal values (or of one value, for vectors).
std::vector<std::uint8_t> row_pool(TensorType type, const CatalogTensor& tensor, std::mt19937_64& rng) {
    const std::size_t row_bytes = kernels::row_size_bytes(type, tensor.n_cols);
    const int n_rows = tensor.role == TensorRole::Vector ? 1 : kPoolRows;
    std::vector<std::uint8_t> pool(row_bytes * static_cast<std::size_t>(n_rows));
    std::normal_distribution<float> normal(0.0f, kWeightSigma);
    std::vector<float> values(static_cast<std::size_t>(tensor.n_cols));
    for (int row = 0; row < n_rows; ++row) {
        for (float& v : values) v = tensor.role == TensorRole::Vector ? tensor.fill_value : normal(rng);
        kernels::quantize_row(type, values.data(), pool.data() + static_cast<std::size_t>(row) * row_bytes, tensor.n_cols);
    }
    return pool;
}

}  // namespace

Status write_synthetic_model(const ModelShape& shape, const QuantRecipe& recipe, const std::string& path) {
    if (shape.synthesize_as != "llama" && shape.synthesize_as != "qwen2" && shape.synthesize_as != "gemma3") {
        return make_error(ErrorCode::Unsupported, "cannot synthesize '{}': architecture '{}' is not supported",
                          shape.name, shape.synthesize_as);
    }
    if (shape.n_experts > 0) {
        return make_error(ErrorCode::Unsupported, "cannot synthesize '{}': inhouse does not run mixture-of-experts "
                          "models yet (`inhouse plan` sizes it)", shape.name);
    }
    const ModelTraits traits = model_traits(shape);
    gguf::GgufWriter writer;
    add_metadata(writer, shape, recipe);
    std::mt19937_64 rng(0x1e5c0de);
    for (const auto& tensor : tensor_layout(shape)) {
        const TensorType type = tensor_type_for(recipe, traits, tensor.role, tensor.layer, tensor.n_cols);
        if (!kernels::is_computable(type)) {
            return make_error(ErrorCode::Unsupported, "tensor '{}' would be {}, which has no kernels", tensor.name,
                              gguf::tensor_type_name(type));
        }
        auto pool = std::make_shared<std::vector<std::uint8_t>>(row_pool(type, tensor, rng));
        const std::size_t row_bytes = kernels::row_size_bytes(type, tensor.n_cols);
        std::vector<std::uint64_t> ne = {static_cast<std::uint64_t>(tensor.n_cols)};
        if (tensor.role != TensorRole::Vector) ne.push_back(static_cast<std::uint64_t>(tensor.n_rows));
        const std::uint64_t salt = rng();
        INHOUSE_RETURN_IF_ERROR(writer.add_generated_tensor(
            tensor.name, type, std::move(ne), [pool, row_bytes, salt](std::span<std::uint8_t> out) {
                const std::size_t n_pool_rows = pool->size() / row_bytes;
                for (std::size_t row = 0; row * row_bytes < out.size(); ++row) {
                    const std::size_t pick = (row * 7 + salt) % n_pool_rows;
                    std::memcpy(out.data() + row * row_bytes, pool->data() + pick * row_bytes, row_bytes);
                }
            }));
    }
    if (shape.llama3_rope_scaling) {
        const auto divisors = llama3_rope_divisors(shape);
        INHOUSE_RETURN_IF_ERROR(writer.add_tensor(
            "rope_freqs.weight", TensorType::F32, {divisors.size()},
            {reinterpret_cast<const std::uint8_t*>(divisors.data()), divisors.size() * sizeof(float)}));
    }
    return writer.write(path);
}

}  // namespace inhouse::catalog
