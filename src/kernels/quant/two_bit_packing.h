// The 2-bit level layout that Q2_K and Q3_K share: 256 levels in 64 bytes, where for half h
// (128 elements) and shift s in 0..3, bits 2s and 2s+1 of byte 32h + l hold element
// 128h + 32s + l.
#pragma once

#include <cstdint>

namespace inhouse::kernels {

inline constexpr int kTwoBitBlockSize = 256;

// levels[i] = 2-bit value of element i.
inline void unpack_two_bit_levels(const std::uint8_t* qs, std::int8_t* levels) noexcept {
    for (int half = 0; half < 2; ++half) {
        for (int shift = 0; shift < 4; ++shift) {
            for (int l = 0; l < 32; ++l) {
                levels[128 * half + 32 * shift + l] =
                    static_cast<std::int8_t>((qs[32 * half + l] >> (2 * shift)) & 3);
            }
        }
    }
}

// Inverse of unpack_two_bit_levels; every value must be below 4.
inline void pack_two_bit_levels(const std::uint8_t* values, std::uint8_t* qs) noexcept {
    for (int half = 0; half < 2; ++half) {
        for (int l = 0; l < 32; ++l) {
            const std::uint8_t* column = values + 128 * half + l;
            qs[32 * half + l] = static_cast<std::uint8_t>(column[0] | (column[32] << 2) |
                                                          (column[64] << 4) | (column[96] << 6));
        }
    }
}

}  // namespace inhouse::kernels
