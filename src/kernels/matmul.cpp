#include "kernels/matmul.h"

#include <algorithm>
#include <vector>

#include "core/check.h"
#include "kernels/interleave.h"
#include "kernels/quant_table.h"

namespace inhouse::kernels {

namespace {
// Weight rows per work item: enough to amortize scheduling, small enough to balance threads.
constexpr std::int64_t kRowGrain = 16;
static_assert(kRowGrain % kInterleavedRows == 0, "row ranges must not split interleaved groups");
}  // namespace

std::size_t matmul_scratch_bytes(gguf::TensorType weight_type, std::int64_t n_cols,
                                 std::int64_t n_tokens) {
    return row_size_bytes(activation_type(weight_type), n_cols) *
           static_cast<std::size_t>(n_tokens);
}

namespace {

// Rows [first, last) of w times every quantized activation row: y[t · w.n_rows + r].
void multiply_rows(const TensorView& w, std::int64_t first, std::int64_t last, const std::uint8_t* quantized,
                   std::size_t act_row_bytes, std::int64_t n_tokens, float* y) noexcept {
    if (w.interleaved_rows != 0) {
        INHOUSE_DCHECK(first % w.interleaved_rows == 0 && last % w.interleaved_rows == 0,
                       "rows [{}, {}) split an interleaved group", first, last);
        interleaved_gemm_kernel(w.type)(w.row(first), w.row_size_bytes, last - first, quantized, act_row_bytes,
                                        n_tokens, w.n_cols, y + first, w.n_rows);
        return;
    }
    if (const GemmFn gemm = gemm_kernel(w.type)) {
        gemm(w.row(first), w.row_size_bytes, last - first, quantized, act_row_bytes, n_tokens, w.n_cols, y + first,
             w.n_rows);
        return;
    }
    const DotFn dot_row = dot_kernel(w.type);
    for (std::int64_t r = first; r < last; ++r) {
        const std::uint8_t* weight_row = w.row(r);
        for (std::int64_t t = 0; t < n_tokens; ++t) {
            y[t * w.n_rows + r] = dot_row(weight_row, quantized + static_cast<std::size_t>(t) * act_row_bytes, w.n_cols);
        }
    }
}

const std::uint8_t* quantize_input(gguf::TensorType act_type, const float* x, std::int64_t n_cols,
                                   std::int64_t n_tokens, std::span<std::uint8_t> scratch, ThreadPool& pool) noexcept {
    const std::size_t act_row_bytes = row_size_bytes(act_type, n_cols);
    INHOUSE_DCHECK(scratch.size() >= act_row_bytes * static_cast<std::size_t>(n_tokens));
    std::uint8_t* quantized = scratch.data();
    pool.parallel_for(n_tokens, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t) {
            quantize_activations(act_type, x + t * n_cols, quantized + static_cast<std::size_t>(t) * act_row_bytes,
                                 n_cols);
        }
    });
    return quantized;
}

}  // namespace

void matmul(const TensorView& w, const float* x, std::int64_t n_tokens, float* y,
            std::span<std::uint8_t> scratch, ThreadPool& pool) noexcept {
    const MatmulTarget target{.w = &w, .y = y};
    matmul_shared_input({&target, 1}, x, n_tokens, scratch, pool);
}

void matmul_shared_input(std::span<const MatmulTarget> targets, const float* x, std::int64_t n_tokens,
                         std::span<std::uint8_t> scratch, ThreadPool& pool) noexcept {
    const auto act_type = activation_type(targets[0].w->type);
    const std::int64_t n_cols = targets[0].w->n_cols;
    // Row ranges are split at multiples of kRowGrain from the first row of the first matrix, so
    // they respect interleaved groups only if every matrix has whole groups.
    const bool any_interleaved = std::any_of(targets.begin(), targets.end(),
                                             [](const MatmulTarget& target) { return target.w->interleaved_rows != 0; });
    const bool shared = std::all_of(targets.begin(), targets.end(), [&](const MatmulTarget& target) {
        return activation_type(target.w->type) == act_type && target.w->n_cols == n_cols &&
               (!any_interleaved || target.w->n_rows % kInterleavedRows == 0);
    });
    if (!shared) {
        for (const auto& target : targets) matmul(*target.w, x, n_tokens, target.y, scratch, pool);
        return;
    }
    const std::uint8_t* quantized = quantize_input(act_type, x, n_cols, n_tokens, scratch, pool);
    const std::size_t act_row_bytes = row_size_bytes(act_type, n_cols);
    std::int64_t total_rows = 0;
    for (const auto& target : targets) total_rows += target.w->n_rows;
    // One pass over the rows of all the matrices, so they share one synchronisation.
    pool.parallel_for(
        total_rows,
        [&](std::int64_t begin, std::int64_t end) {
            std::int64_t offset = 0;
            for (const auto& target : targets) {
                const std::int64_t first = std::max(begin, offset);
                const std::int64_t last = std::min(end, offset + target.w->n_rows);
                if (first < last) {
                    multiply_rows(*target.w, first - offset, last - offset, quantized, act_row_bytes, n_tokens,
                                  target.y);
                }
                offset += target.w->n_rows;
            }
        },
        kRowGrain);
}

void get_row(const TensorView& w, std::int64_t row, float* out) noexcept {
    if (w.interleaved_rows != 0) {
        // Rebuilt in the type's own blocks, then dequantized as any row.
        thread_local std::vector<std::uint8_t> blocks;
        blocks.resize(row_size_bytes(w.type, w.n_cols));
        const std::int64_t group_first_row = row / w.interleaved_rows * w.interleaved_rows;
        deinterleave_row_kernel(w.type)(w.row(group_first_row), static_cast<int>(row - group_first_row), w.n_cols,
                                        blocks.data());
        dequantize_row(w.type, blocks.data(), out, w.n_cols);
        return;
    }
    dequantize_row(w.type, w.row(row), out, w.n_cols);
}

}  // namespace inhouse::kernels
