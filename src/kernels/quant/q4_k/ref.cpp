// Q4_K reference kernels: the scale/min K-quant scheme of scale_min_k_quant.h (which states
// the quantization method and the dot product) with 4-bit levels, two per byte.
#include "kernels/quant/q4_k/block.h"
#include "kernels/quant/scale_min_k_quant.h"

namespace inhouse::kernels::ref {

namespace {

struct Q4KFormat {
    using Block = BlockQ4_K;
    static constexpr int kMaxLevel = 15;
    static constexpr ScaleSearch kSearch{.first_offset = -1.0f, .step = 0.1f, .n_steps = 20};

    static void unpack_levels(const BlockQ4_K& block, std::int8_t* levels) noexcept {
        for (int chunk = 0; chunk < scale_min_k_quant::kBlockSize / 64; ++chunk) {
            for (int l = 0; l < 32; ++l) {
                const std::uint8_t byte = block.qs[32 * chunk + l];
                levels[64 * chunk + l] = static_cast<std::int8_t>(byte & 0x0f);
                levels[64 * chunk + 32 + l] = static_cast<std::int8_t>(byte >> 4);
            }
        }
    }

    static void pack_levels(const std::uint8_t* levels, BlockQ4_K& block) noexcept {
        for (int chunk = 0; chunk < scale_min_k_quant::kBlockSize / 64; ++chunk) {
            for (int l = 0; l < 32; ++l) {
                block.qs[32 * chunk + l] = static_cast<std::uint8_t>(
                    levels[64 * chunk + l] | (levels[64 * chunk + 32 + l] << 4));
            }
        }
    }
};

}  // namespace

void dequantize_row_q4_k(const void* src, float* dst, std::int64_t n) noexcept {
    scale_min_k_quant::dequantize_row<Q4KFormat>(src, dst, n);
}

void quantize_row_q4_k(const float* src, void* dst, std::int64_t n) noexcept {
    scale_min_k_quant::quantize_row<Q4KFormat>(src, dst, n);
}

float dot_q4_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept {
    return scale_min_k_quant::dot<Q4KFormat>(weight_row, activation_row, n);
}

}  // namespace inhouse::kernels::ref
