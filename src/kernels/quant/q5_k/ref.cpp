// Q5_K reference kernels: the scale/min K-quant scheme of scale_min_k_quant.h (which states
// the quantization method and the dot product) with 5-bit levels: the low 4 bits two per
// byte in qs, the fifth bits in qh.
#include "kernels/quant/q5_k/block.h"
#include "kernels/quant/scale_min_k_quant.h"

namespace inhouse::kernels::ref {

namespace {

struct Q5KFormat {
    using Block = BlockQ5_K;
    static constexpr int kMaxLevel = 31;
    static constexpr ScaleSearch kSearch{.first_offset = -0.5f, .step = 0.1f, .n_steps = 15};

    static void unpack_levels(const BlockQ5_K& block, std::int8_t* levels) noexcept {
        for (int chunk = 0; chunk < scale_min_k_quant::kBlockSize / 64; ++chunk) {
            for (int l = 0; l < 32; ++l) {
                const std::uint8_t byte = block.qs[32 * chunk + l];
                const int high = block.qh[l] >> (2 * chunk);
                levels[64 * chunk + l] = static_cast<std::int8_t>((byte & 0x0f) | ((high & 1) << 4));
                levels[64 * chunk + 32 + l] = static_cast<std::int8_t>((byte >> 4) | ((high & 2) << 3));
            }
        }
    }

    static void pack_levels(const std::uint8_t* levels, BlockQ5_K& block) noexcept {
        for (int l = 0; l < 32; ++l) block.qh[l] = 0;
        for (int chunk = 0; chunk < scale_min_k_quant::kBlockSize / 64; ++chunk) {
            for (int l = 0; l < 32; ++l) {
                const int low_half = levels[64 * chunk + l];
                const int high_half = levels[64 * chunk + 32 + l];
                block.qs[32 * chunk + l] =
                    static_cast<std::uint8_t>((low_half & 0x0f) | ((high_half & 0x0f) << 4));
                const int high_bits = ((low_half >> 4) & 1) | (((high_half >> 4) & 1) << 1);
                block.qh[l] = static_cast<std::uint8_t>(block.qh[l] | (high_bits << (2 * chunk)));
            }
        }
    }
};

}  // namespace

void dequantize_row_q5_k(const void* src, float* dst, std::int64_t n) noexcept {
    scale_min_k_quant::dequantize_row<Q5KFormat>(src, dst, n);
}

void quantize_row_q5_k(const float* src, void* dst, std::int64_t n) noexcept {
    scale_min_k_quant::quantize_row<Q5KFormat>(src, dst, n);
}

float dot_q5_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    return scale_min_k_quant::dot<Q5KFormat>(weight_row, activation_row, n);
}

}  // namespace inhouse::kernels::ref
