// Q6_K: 256 elements in 210 bytes, ggml's block_q6_K. Sixteen sub-blocks of 16 elements, each
// with a signed 8-bit scale:
//   ql[128]     u8     low 4 bits of the levels: for half h (128 elements) and l < 32, byte
//                      64h + l holds element 128h + l (low nibble) and 128h + 64 + l (high);
//                      byte 64h + 32 + l holds 128h + 32 + l (low) and 128h + 96 + l (high)
//   qh[64]      u8     high 2 bits: byte 32h + l holds, from bit 0 up, those of elements
//                      128h + l, 128h + 32 + l, 128h + 64 + l and 128h + 96 + l
//   scales[16]  int8   sub-block scales
//   d           fp16   super-block scale of the sub-block scales
// element = d · scale · (6-bit value - 32).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/quant/block_geometry.h"
#include "kernels/simd/x86_kernels.h"

namespace inhouse::kernels {

struct BlockQ6_K {
    static constexpr int kBlockSize = kSuperBlockSize;
    std::uint8_t ql[kBlockSize / 2];
    std::uint8_t qh[kBlockSize / 4];
    std::int8_t scales[kBlockSize / 16];
    std::uint16_t d;  // fp16
};
static_assert(sizeof(BlockQ6_K) == block_geometry(gguf::TensorType::Q6_K).block_size_bytes);
static_assert(BlockQ6_K::kBlockSize == block_geometry(gguf::TensorType::Q6_K).block_size);

namespace ref {
void dequantize_row_q6_k(const void* src, float* dst, std::int64_t n) noexcept;
void quantize_row_q6_k(const float* src, void* dst, std::int64_t n) noexcept;
// Activations are Q8_K.
float dot_q6_k(const void* weight_row, const void* activation_row, std::int64_t n) noexcept;
}  // namespace ref

INHOUSE_DECLARE_X86_KERNELS(q6_k)

}  // namespace inhouse::kernels
