#include "kernels/matmul.h"

#include "core/check.h"
#include "kernels/quant_table.h"

namespace inhouse::kernels {

namespace {
// Weight rows per work item: enough to amortize scheduling, small enough to balance threads.
constexpr std::int64_t kRowGrain = 16;
}  // namespace

std::size_t matmul_scratch_bytes(gguf::TensorType weight_type, std::int64_t n_cols,
                                 std::int64_t n_tokens) {
    return row_size_bytes(activation_type(weight_type), n_cols) *
           static_cast<std::size_t>(n_tokens);
}

void matmul(const TensorView& w, const float* x, std::int64_t n_tokens, float* y,
            std::span<std::uint8_t> scratch, ThreadPool& pool) noexcept {
    const auto act_type = activation_type(w.type);
    const std::size_t act_row_bytes = row_size_bytes(act_type, w.n_cols);
    INHOUSE_DCHECK(scratch.size() >= act_row_bytes * static_cast<std::size_t>(n_tokens));
    std::uint8_t* quantized = scratch.data();
    pool.parallel_for(n_tokens, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t) {
            quantize_activations(act_type, x + t * w.n_cols, quantized + t * act_row_bytes, w.n_cols);
        }
    });
    if (const GemmFn gemm = gemm_kernel(w.type)) {
        pool.parallel_for(
            w.n_rows,
            [&](std::int64_t begin, std::int64_t end) {
                gemm(w.row(begin), w.row_size_bytes, end - begin, quantized, act_row_bytes, n_tokens, w.n_cols,
                     y + begin, w.n_rows);
            },
            kRowGrain);
        return;
    }
    const DotFn dot_row = dot_kernel(w.type);
    pool.parallel_for(
        w.n_rows,
        [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t r = begin; r < end; ++r) {
                const std::uint8_t* weight_row = w.row(r);
                for (std::int64_t t = 0; t < n_tokens; ++t) {
                    y[t * w.n_rows + r] =
                        dot_row(weight_row, quantized + t * act_row_bytes, w.n_cols);
                }
            }
        },
        kRowGrain);
}

void get_row(const TensorView& w, std::int64_t row, float* out) noexcept {
    dequantize_row(w.type, w.row(row), out, w.n_cols);
}

}  // namespace inhouse::kernels
