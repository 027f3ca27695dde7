// Speed of the interleaved matrix products, one thread, at every level this CPU runs: random
// weights of a type, interleaved as at load time, times a batch of quantized activations.
// Prints multiply-adds per second per level (median of the repetitions) as JSON lines, and the
// median ratio of each product's weight bytes per second to a plain read of the same weights
// timed right after it: where the host's memory bandwidth moves from second to second, that
// ratio says how close to memory speed the kernel streams when the rate alone cannot.
//   gemm_speed TYPE ROWS COLS TOKENS [REPETITIONS]      e.g. gemm_speed Q4_K 4096 4096 256
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string_view>
#include <vector>

#include "core/huge_page_buffer.h"
#include "gguf/tensor_type.h"
#include "kernels/interleave.h"
#include "kernels/quant_table.h"
#include "kernels/roofline.h"
#include "kernels/simd/cpu_features.h"

namespace {

// Seconds to read `bytes` once.
double read_seconds(const std::uint8_t* data, std::size_t bytes) {
    const auto start = std::chrono::steady_clock::now();
    volatile std::uint64_t sink = inhouse::kernels::stream_read(data, bytes);
    (void)sink;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median_of(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    using namespace inhouse;
    using namespace inhouse::kernels;
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s TYPE ROWS COLS TOKENS [REPETITIONS]\n", argv[0]);
        return 2;
    }
    const auto type = gguf::parse_tensor_type(argv[1]);
    const QuantKernels* kernels = type ? find_quant_kernels(*type) : nullptr;
    if (kernels == nullptr || kernels->interleaved.interleave == nullptr) {
        std::fprintf(stderr, "error: %s has no interleaved product\n", argv[1]);
        return 2;
    }
    const std::int64_t rows = std::atoll(argv[2]);
    const std::int64_t cols = std::atoll(argv[3]);
    const std::int64_t tokens = std::atoll(argv[4]);
    const int repetitions = argc > 5 ? std::max(1, std::atoi(argv[5])) : 5;
    if (rows <= 0 || rows % kInterleavedRows != 0 || cols <= 0 || tokens <= 0) {
        std::fprintf(stderr, "error: ROWS must be a positive multiple of 8, COLS and TOKENS positive\n");
        return 2;
    }

    std::mt19937 random(42);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(static_cast<std::size_t>(cols));
    const std::size_t w_row_bytes = row_size_bytes(kernels->type, cols);
    std::vector<std::uint8_t> weights(w_row_bytes * static_cast<std::size_t>(rows));
    for (std::int64_t r = 0; r < rows; ++r) {
        for (float& v : values) v = normal(random);
        quantize_row(kernels->type, values.data(), weights.data() + static_cast<std::size_t>(r) * w_row_bytes, cols);
    }
    const std::size_t i_row_bytes = interleaved_row_size_bytes(kernels->type, cols);
    // In transparent huge pages, as Model::load holds them: 4 KiB pages would measure TLB misses.
    auto buffer = HugePageBuffer::allocate(i_row_bytes * static_cast<std::size_t>(rows));
    if (!buffer.ok()) {
        std::fprintf(stderr, "error: %s\n", buffer.error().to_string().c_str());
        return 1;
    }
    std::uint8_t* interleaved = buffer->data();
    for (std::int64_t r = 0; r < rows; r += kInterleavedRows) {
        kernels->interleaved.interleave(weights.data() + static_cast<std::size_t>(r) * w_row_bytes, w_row_bytes, cols,
                                        interleaved + static_cast<std::size_t>(r) * i_row_bytes);
    }
    const std::size_t a_row_bytes = row_size_bytes(kernels->activation_type, cols);
    std::vector<std::uint8_t> activations(a_row_bytes * static_cast<std::size_t>(tokens));
    for (std::int64_t t = 0; t < tokens; ++t) {
        for (float& v : values) v = normal(random);
        quantize_activations(kernels->activation_type, values.data(),
                             activations.data() + static_cast<std::size_t>(t) * a_row_bytes, cols);
    }
    std::vector<float> y(static_cast<std::size_t>(rows * tokens));

    for (const SimdLevel level : {SimdLevel::kAvx2, SimdLevel::kAvx512, SimdLevel::kAmx}) {
        const GemmFn gemm = interleaved_gemm_kernel_at(kernels->type, level);
        if (gemm == nullptr || !cpu_supports(level)) continue;
        std::vector<double> seconds;
        std::vector<double> read_ratios;
        for (int i = 0; i <= repetitions; ++i) {  // the first is a warm-up
            const auto start = std::chrono::steady_clock::now();
            gemm(interleaved, i_row_bytes, rows, activations.data(), a_row_bytes, tokens, cols, y.data(), rows);
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (i > 0) {
                seconds.push_back(elapsed);
                read_ratios.push_back(read_seconds(interleaved, buffer->size_bytes()) / elapsed);
            }
        }
        const double median = median_of(seconds);
        const double macs = static_cast<double>(rows) * static_cast<double>(cols) * static_cast<double>(tokens);
        std::printf("{\"type\": \"%s\", \"level\": \"%s\", \"rows\": %lld, \"cols\": %lld, \"tokens\": %lld, "
                    "\"seconds\": %.6f, \"gmacs_per_second\": %.1f, \"fraction_of_read_rate\": %.3f}\n",
                    argv[1], std::string(simd_level_name(level)).c_str(), static_cast<long long>(rows),
                    static_cast<long long>(cols), static_cast<long long>(tokens), median, macs / median / 1e9,
                    median_of(read_ratios));
    }
    return 0;
}
