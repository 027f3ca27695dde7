// The 12-byte scale layout that Q4_K and Q5_K share: eight 6-bit scales and eight 6-bit mins,
// one pair per 32-element sub-block.
//   bytes 0-3   low 6 bits: scale 0-3;  top 2 bits: bits 4-5 of scale 4-7
//   bytes 4-7   low 6 bits: min 0-3;    top 2 bits: bits 4-5 of min 4-7
//   bytes 8-11  low nibble: bits 0-3 of scale 4-7;  high nibble: bits 0-3 of min 4-7
#pragma once

#include <cstdint>

namespace inhouse::kernels {

inline constexpr int kK4ScaleBytes = 12;
inline constexpr int kK4SubBlocks = 8;

struct ScaleAndMin {
    std::uint8_t scale;
    std::uint8_t min;
};

// Always inlined: the x86 SIMD kernels call it from files built with other target flags, and an
// out-of-line copy shared between them could carry the wrong instructions.
[[gnu::always_inline]] inline ScaleAndMin unpack_k4_scale_and_min(const std::uint8_t* packed, int sub_block) noexcept {
    if (sub_block < 4) {
        return {static_cast<std::uint8_t>(packed[sub_block] & 63),
                static_cast<std::uint8_t>(packed[sub_block + 4] & 63)};
    }
    const int low = packed[sub_block + 4];
    return {static_cast<std::uint8_t>((low & 0x0f) | ((packed[sub_block - 4] >> 6) << 4)),
            static_cast<std::uint8_t>((low >> 4) | ((packed[sub_block] >> 6) << 4))};
}

// Inverse of unpack_k4_scale_and_min; every value must be below 64.
inline void pack_k4_scales_and_mins(const std::uint8_t* scales, const std::uint8_t* mins,
                                    std::uint8_t* packed) noexcept {
    for (int sub_block = 0; sub_block < 4; ++sub_block) {
        packed[sub_block] =
            static_cast<std::uint8_t>(scales[sub_block] | ((scales[sub_block + 4] >> 4) << 6));
        packed[sub_block + 4] =
            static_cast<std::uint8_t>(mins[sub_block] | ((mins[sub_block + 4] >> 4) << 6));
        packed[sub_block + 8] = static_cast<std::uint8_t>((scales[sub_block + 4] & 0x0f) |
                                                          ((mins[sub_block + 4] & 0x0f) << 4));
    }
}

}  // namespace inhouse::kernels
