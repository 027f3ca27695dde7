// The AMX-INT8 compute peak for the roofline (kernels/roofline.h): tile products into four
// independent result tiles from operands already in tile registers, no memory traffic.
#include "kernels/simd/amx_gemm.h"
#include "kernels/simd/peak_probe.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

std::int64_t int8_multiply_adds(std::int64_t iterations) noexcept {
    AmxTileConfig config;
    for (int t = 0; t < 8; ++t) config.set(t, 16, 64);
    const AmxTiles tiles(config);
    alignas(64) std::int8_t operand[16 * 64];
    for (int i = 0; i < 16 * 64; ++i) operand[i] = static_cast<std::int8_t>(i % 7 - 3);
    _tile_zero(0);
    _tile_zero(1);
    _tile_zero(2);
    _tile_zero(3);
    _tile_loadd(4, operand, 64);
    _tile_loadd(5, operand, 64);
    _tile_loadd(6, operand, 64);
    _tile_loadd(7, operand, 64);
    // A round of tile products is ~60 times a vector round's work: fewer rounds, same duration.
    const std::int64_t rounds = iterations / 64;
    for (std::int64_t i = 0; i < rounds; ++i) {
        _tile_dpbssd(0, 4, 6);
        _tile_dpbssd(1, 4, 7);
        _tile_dpbssd(2, 5, 6);
        _tile_dpbssd(3, 5, 7);
    }
    alignas(64) std::int32_t result[16 * 16];
    _tile_stored(0, result, 64);
    volatile std::int32_t sink = result[0];
    (void)sink;
    return rounds * 4 * 16 * 16 * 64;
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
