// Q5_0 · Q8_0 on AMX tiles (kernels/simd/amx_small_block.h).
#include "kernels/quant/q5_0/interleaved_x86.h"
#include "kernels/simd/amx_small_block.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

void gemm_interleaved_q5_0(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept {
    amx_gemm<AmxSmallBlockKernel<InterleavedQ5_0Traits>>(w, w_row_bytes, n_rows, a, a_row_bytes, n_tokens, n_cols, y,
                                                          y_stride, avx512::gemm_interleaved_q5_0);
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
