// One token through the matrix products of a decoder's layers, as the model runs them through
// the thread pool: per layer q/k/v (one shared-input call), a pool call standing for attention,
// the output projection, gate/up (one shared-input call) and down. Each pass is judged against
// a plain read of the same weights on the same threads timed right after it, so where the
// host's memory bandwidth moves, the ratio still says what the calls between the products
// cost. A second figure does the same for one call over a single matrix of as many bytes: the
// gap between the two is what the sequence of calls loses.
//   decode_chain TYPE [LAYERS] [EMBD FF] [THREADS] [PASSES]     e.g. decode_chain Q4_K 8 4096 11008 2
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string_view>
#include <vector>

#include "core/huge_page_buffer.h"
#include "core/thread_pool.h"
#include "gguf/tensor_type.h"
#include "kernels/interleave.h"
#include "kernels/matmul.h"
#include "kernels/quant_table.h"
#include "kernels/roofline.h"

namespace {

using namespace inhouse;
using namespace inhouse::kernels;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median_of(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Interleaved random weights of `type`, `rows` × `cols`, at `out`: the first group of rows is
// quantized and copied to every group (the products read the bytes; their values don't matter).
void fill_matrix(const QuantKernels& kernels, std::int64_t rows, std::int64_t cols, std::uint8_t* out) {
    std::mt19937 random(static_cast<unsigned>(rows * 31 + cols));
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(static_cast<std::size_t>(cols));
    const std::size_t row_bytes = row_size_bytes(kernels.type, cols);
    std::vector<std::uint8_t> group(row_bytes * kInterleavedRows);
    for (std::int64_t r = 0; r < kInterleavedRows; ++r) {
        for (float& v : values) v = normal(random);
        quantize_row(kernels.type, values.data(), group.data() + static_cast<std::size_t>(r) * row_bytes, cols);
    }
    const std::size_t group_bytes = interleaved_row_size_bytes(kernels.type, cols) * kInterleavedRows;
    kernels.interleaved.interleave(group.data(), row_bytes, cols, out);
    for (std::int64_t r = kInterleavedRows; r < rows; r += kInterleavedRows) {
        std::memcpy(out + static_cast<std::size_t>(r / kInterleavedRows) * group_bytes, out, group_bytes);
    }
}

struct Layer {
    TensorView q, k, v, o, gate, up, down;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s TYPE [LAYERS] [EMBD FF] [THREADS] [PASSES]\n", argv[0]);
        return 2;
    }
    const auto type = gguf::parse_tensor_type(argv[1]);
    const QuantKernels* kernels = type ? find_quant_kernels(*type) : nullptr;
    if (kernels == nullptr || kernels->interleaved.interleave == nullptr) {
        std::fprintf(stderr, "error: %s has no interleaved product\n", argv[1]);
        return 2;
    }
    const std::int64_t n_layers = argc > 2 ? std::atoll(argv[2]) : 8;
    const std::int64_t embd = argc > 3 ? std::atoll(argv[3]) : 4096;
    const std::int64_t ff = argc > 4 ? std::atoll(argv[4]) : 11008;
    const int n_threads = argc > 5 ? std::atoi(argv[5]) : 2;
    const int passes = argc > 6 ? std::max(1, std::atoi(argv[6])) : 9;
    if (n_layers <= 0 || embd <= 0 || ff <= 0 || embd % kInterleavedRows != 0 || ff % kInterleavedRows != 0 ||
        n_threads <= 0) {
        std::fprintf(stderr, "error: LAYERS and THREADS must be positive, EMBD and FF multiples of 8\n");
        return 2;
    }

    const auto matrix_bytes = [&](std::int64_t rows, std::int64_t cols) {
        return interleaved_row_size_bytes(kernels->type, cols) * static_cast<std::size_t>(rows);
    };
    const std::size_t layer_bytes = 4 * matrix_bytes(embd, embd) +
                                    2 * matrix_bytes(ff, embd) + matrix_bytes(embd, ff);
    const std::size_t total_bytes = layer_bytes * static_cast<std::size_t>(n_layers);
    auto buffer = HugePageBuffer::allocate(total_bytes);
    if (!buffer.ok()) {
        std::fprintf(stderr, "error: %s\n", buffer.error().to_string().c_str());
        return 1;
    }
    std::vector<Layer> layers;
    std::uint8_t* cursor = buffer->data();
    const auto place = [&](std::int64_t rows, std::int64_t cols) {
        fill_matrix(*kernels, rows, cols, cursor);
        const TensorView view{.type = kernels->type, .n_rows = rows, .n_cols = cols,
                              .row_size_bytes = interleaved_row_size_bytes(kernels->type, cols), .data = cursor,
                              .interleaved_rows = kInterleavedRows};
        cursor += matrix_bytes(rows, cols);
        return view;
    };
    for (std::int64_t l = 0; l < n_layers; ++l) {
        layers.push_back({.q = place(embd, embd), .k = place(embd, embd), .v = place(embd, embd),
                          .o = place(embd, embd), .gate = place(ff, embd), .up = place(ff, embd),
                          .down = place(embd, ff)});
    }

    ThreadPool pool(n_threads);
    std::vector<float> x(static_cast<std::size_t>(std::max(embd, ff)), 0.5f);
    std::vector<float> out(static_cast<std::size_t>(3 * std::max(embd, ff)));
    std::vector<std::uint8_t> scratch(matmul_scratch_bytes(kernels->type, std::max(embd, ff), 1));
    std::atomic<int> attention_items = 0;
    const auto chain = [&] {
        for (const Layer& layer : layers) {
            const MatmulTarget qkv[] = {{.w = &layer.q, .y = out.data()},
                                        {.w = &layer.k, .y = out.data() + embd},
                                        {.w = &layer.v, .y = out.data() + 2 * embd}};
            matmul_shared_input(qkv, x.data(), 1, scratch, pool);
            pool.parallel_for(n_threads, [&](std::int64_t begin, std::int64_t end) {
                attention_items.fetch_add(static_cast<int>(end - begin), std::memory_order_relaxed);
            });
            matmul(layer.o, x.data(), 1, out.data(), scratch, pool);
            const MatmulTarget gate_up[] = {{.w = &layer.gate, .y = out.data()}, {.w = &layer.up, .y = out.data() + ff}};
            matmul_shared_input(gate_up, x.data(), 1, scratch, pool);
            matmul(layer.down, x.data(), 1, out.data(), scratch, pool);
        }
    };
    // One matrix of whole groups taking (about) the chain's bytes.
    const std::int64_t single_rows =
        static_cast<std::int64_t>(total_bytes / matrix_bytes(kInterleavedRows, embd)) * kInterleavedRows;
    const TensorView single{.type = kernels->type, .n_rows = single_rows, .n_cols = embd,
                            .row_size_bytes = interleaved_row_size_bytes(kernels->type, embd),
                            .data = buffer->data(), .interleaved_rows = kInterleavedRows};
    std::vector<float> single_out(static_cast<std::size_t>(single_rows));
    const auto one_call = [&] { matmul(single, x.data(), 1, single_out.data(), scratch, pool); };

    const auto measure = [&](const char* name, const auto& run, std::size_t bytes) {
        std::vector<double> ratios;
        std::vector<double> rates;
        for (int pass = 0; pass <= passes; ++pass) {  // the first is a warm-up
            const auto start = Clock::now();
            run();
            const double elapsed = seconds_since(start);
            const double read = parallel_read_seconds(pool, buffer->data(), bytes);
            if (pass > 0) {
                ratios.push_back(read / elapsed);
                rates.push_back(static_cast<double>(bytes) / elapsed);
            }
        }
        std::printf("{\"type\": \"%s\", \"run\": \"%s\", \"threads\": %d, \"bytes\": %zu, \"gb_per_second\": %.1f, "
                    "\"fraction_of_read_rate\": %.3f}\n",
                    argv[1], name, n_threads, bytes, median_of(rates) / 1e9, median_of(ratios));
    };
    measure("layers", chain, total_bytes);
    measure("one_call", one_call, matrix_bytes(single_rows, embd));
    return attention_items.load() > 0 ? 0 : 1;
}
