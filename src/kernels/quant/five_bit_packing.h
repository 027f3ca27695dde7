// The 5-bit level layout that Q5_0 and Q5_1 share: 32 levels as 16 bytes of low nibbles
// (element i and i + 16 in the low and high nibble of byte i) plus 4 bytes holding bit 4 of
// each element (element i in bit i % 8 of byte i / 8, i.e. a little-endian u32).
#pragma once

#include <cstdint>

namespace inhouse::kernels {

inline constexpr int kFiveBitBlockSize = 32;

// levels[i] = (5-bit value of element i) - bias.
inline void unpack_five_bit_levels(const std::uint8_t* qs, const std::uint8_t* qh, int bias,
                                   std::int8_t* levels) noexcept {
    constexpr int kHalf = kFiveBitBlockSize / 2;
    for (int i = 0; i < kHalf; ++i) {
        const int high_low = ((qh[i / 8] >> (i % 8)) & 1) << 4;
        const int high_high = ((qh[(i + kHalf) / 8] >> (i % 8)) & 1) << 4;
        levels[i] = static_cast<std::int8_t>(((qs[i] & 0x0f) | high_low) - bias);
        levels[i + kHalf] = static_cast<std::int8_t>(((qs[i] >> 4) | high_high) - bias);
    }
}

// Inverse of unpack_five_bit_levels with bias 0; every value must be below 32.
inline void pack_five_bit_levels(const std::uint8_t* values, std::uint8_t* qs,
                                 std::uint8_t* qh) noexcept {
    constexpr int kHalf = kFiveBitBlockSize / 2;
    for (int byte = 0; byte < 4; ++byte) qh[byte] = 0;
    for (int i = 0; i < kFiveBitBlockSize; ++i) {
        qh[i / 8] = static_cast<std::uint8_t>(qh[i / 8] | (((values[i] >> 4) & 1) << (i % 8)));
    }
    for (int i = 0; i < kHalf; ++i) {
        qs[i] = static_cast<std::uint8_t>((values[i] & 0x0f) | ((values[i + kHalf] & 0x0f) << 4));
    }
}

}  // namespace inhouse::kernels
