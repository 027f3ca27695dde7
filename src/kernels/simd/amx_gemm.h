// Batched products on AMX-INT8 tiles, over weight rows interleaved eight at a time
// (kernels/interleave.h). Built only in the amx kernel files (AVX-512 + -mamx-tile -mamx-int8,
// INHOUSE_SIMD_NS=amx).
//
// A tile product C[16 tokens][16 rows] += A[16 tokens][K bytes] · B[K bytes][16 rows] takes one
// instruction for 16·16·K multiply-adds, eight to sixteen times VNNI's rate, so the work left
// is around it: the weights of two interleaved groups (16 rows) are unpacked once into tile
// layout (int8, four consecutive elements of each row side by side) and then serve every
// 16-token tile of the batch; each block's integer tile is scaled into float accumulators
// with AVX-512, by the same operations in the same order as the format's VNNI kernel, so the
// two agree bit for bit and a token's result never depends on which path or batch computed it.
//
// Tokens left over from the 16-token tiles, and a last lone group of rows, go to the format's
// AVX-512 kernel.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "kernels/simd/x86_common.h"

namespace inhouse::kernels::INHOUSE_SIMD_NS {

inline constexpr int kAmxTokens = 16;  // rows of an activation tile and of a result tile
inline constexpr int kAmxRows = 16;    // weight rows of a result tile: two interleaved groups
// Activation bytes a pass over the weights works on at a time (a core's L2 is 1-2 MiB).
inline constexpr std::size_t kAmxActivationBytes = std::size_t{1} << 20;

// The tile configuration (palette 1) as LDTILECFG reads it.
struct alignas(64) AmxTileConfig {
    std::uint8_t palette = 1;
    std::uint8_t start_row = 0;
    std::uint8_t reserved[14] = {};
    std::uint16_t bytes_per_row[16] = {};
    std::uint8_t rows[16] = {};

    void set(int tile, int n_rows, int n_bytes_per_row) noexcept {
        rows[tile] = static_cast<std::uint8_t>(n_rows);
        bytes_per_row[tile] = static_cast<std::uint16_t>(n_bytes_per_row);
    }
};

// Tiles configured for a scope; released after it, so the thread does not carry 8 KiB of tile
// state through context switches while it runs other work.
class AmxTiles {
public:
    explicit AmxTiles(const AmxTileConfig& config) noexcept { _tile_loadconfig(&config); }
    ~AmxTiles() { _tile_release(); }
    AmxTiles(const AmxTiles&) = delete;
    AmxTiles& operator=(const AmxTiles&) = delete;
};

// Per-thread scratch of at least `bytes`, 64-byte aligned, kept between calls. `slot` tells
// buffers used at the same time apart.
inline std::uint8_t* amx_scratch(int slot, std::size_t bytes) noexcept {
    struct Buffer {
        std::unique_ptr<std::uint8_t[]> storage;
        std::size_t size = 0;
    };
    thread_local Buffer buffers[2];
    Buffer& buffer = buffers[slot];
    if (buffer.size < bytes) {
        buffer.storage.reset(new std::uint8_t[bytes + 64]);
        buffer.size = bytes;
    }
    const auto address = reinterpret_cast<std::uintptr_t>(buffer.storage.get());
    return buffer.storage.get() + ((64 - address % 64) % 64);
}

// The 32-bit integer tile C (16 tokens × 16 rows), stored row by row.
struct alignas(64) AmxIntTile {
    std::int32_t values[kAmxTokens][kAmxRows];
    __m512i token(int t) const noexcept { return _mm512_load_si512(values[t]); }
};

using AmxGemmFn = void (*)(const void* w, std::size_t w_row_bytes, std::int64_t n_rows, const void* a,
                           std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y,
                           std::int64_t y_stride) noexcept;

// Kernel provides:
//   kBlockSize                          elements per weight block
//   using PackedBlock                   one block of 16 rows in tile layout (what unpack writes)
//   static AmxTileConfig config()
//   static void unpack(const std::uint8_t* group0, const std::uint8_t* group1, std::int64_t n_blocks,
//                      PackedBlock* out)          two interleaved groups, all their blocks
//   using TokenBlock                    what the tile needs of 16 tokens' activation block
//                                       besides its bytes (their scales, sums), gathered once
//   static void token_data(const std::uint8_t* a, std::size_t a_row_bytes, std::int64_t n_blocks,
//                          TokenBlock* out)       16 tokens, all their blocks
//   static void tile(const PackedBlock* w, const std::uint8_t* a, std::size_t a_row_bytes,
//                    const TokenBlock* token_data, std::int64_t n_blocks, float* y, std::int64_t y_stride)
//                                                 16 tokens × 16 rows, all blocks
// `fallback` is the format's AVX-512 interleaved kernel.
template <class Kernel>
void amx_gemm(const void* weights, std::size_t w_row_bytes, std::int64_t n_rows, const void* activations,
              std::size_t a_row_bytes, std::int64_t n_tokens, std::int64_t n_cols, float* y, std::int64_t y_stride,
              AmxGemmFn fallback) noexcept {
    constexpr int kGroupRows = kAmxRows / 2;
    const auto* w = static_cast<const std::uint8_t*>(weights);
    const auto* a = static_cast<const std::uint8_t*>(activations);
    const std::int64_t tiled_tokens = n_tokens / kAmxTokens * kAmxTokens;
    const std::int64_t tiled_rows = n_rows / kAmxRows * kAmxRows;
    if (tiled_tokens == 0 || tiled_rows == 0) {
        fallback(weights, w_row_bytes, n_rows, activations, a_row_bytes, n_tokens, n_cols, y, y_stride);
        return;
    }
    const std::size_t group_bytes = kGroupRows * w_row_bytes;
    const std::int64_t n_blocks = n_cols / Kernel::kBlockSize;
    const std::int64_t n_token_tiles = tiled_tokens / kAmxTokens;
    using PackedBlock = typename Kernel::PackedBlock;
    auto* packed = reinterpret_cast<PackedBlock*>(amx_scratch(0, sizeof(PackedBlock) * static_cast<std::size_t>(n_blocks)));
    using TokenBlock = typename Kernel::TokenBlock;
    const auto data_blocks = static_cast<std::size_t>(n_blocks);
    auto* token_data = reinterpret_cast<TokenBlock*>(
        amx_scratch(1, sizeof(TokenBlock) * data_blocks * static_cast<std::size_t>(n_token_tiles)));
    for (std::int64_t tile = 0; tile < n_token_tiles; ++tile) {
        Kernel::token_data(a + static_cast<std::size_t>(tile * kAmxTokens) * a_row_bytes, a_row_bytes, n_blocks,
                           token_data + static_cast<std::size_t>(tile) * data_blocks);
    }
    {
        const AmxTiles tiles(Kernel::config());
        // Token tiles go in chunks whose activations stay in L2 while every row pair passes over
        // them; each chunk unpacks the weights again.
        const std::int64_t chunk_tiles =
            std::max<std::int64_t>(1, static_cast<std::int64_t>(kAmxActivationBytes / (a_row_bytes * kAmxTokens)));
        for (std::int64_t chunk = 0; chunk < n_token_tiles; chunk += chunk_tiles) {
            const std::int64_t chunk_end = std::min(n_token_tiles, chunk + chunk_tiles);
            for (std::int64_t r = 0; r < tiled_rows; r += kAmxRows) {
                const std::uint8_t* group0 = w + static_cast<std::size_t>(r / kGroupRows) * group_bytes;
                Kernel::unpack(group0, group0 + group_bytes, n_blocks, packed);
                for (std::int64_t tile = chunk; tile < chunk_end; ++tile) {
                    const std::int64_t t = tile * kAmxTokens;
                    Kernel::tile(packed, a + static_cast<std::size_t>(t) * a_row_bytes, a_row_bytes,
                                 token_data + static_cast<std::size_t>(tile) * data_blocks, n_blocks,
                                 y + t * y_stride + r, y_stride);
                }
            }
        }
    }
    if (tiled_rows < n_rows) {
        fallback(w + static_cast<std::size_t>(tiled_rows / kGroupRows) * group_bytes, w_row_bytes, n_rows - tiled_rows,
                 activations, a_row_bytes, tiled_tokens, n_cols, y + tiled_rows, y_stride);
    }
    if (tiled_tokens < n_tokens) {
        fallback(weights, w_row_bytes, n_rows, a + static_cast<std::size_t>(tiled_tokens) * a_row_bytes, a_row_bytes,
                 n_tokens - tiled_tokens, n_cols, y + tiled_tokens * y_stride, y_stride);
    }
}

}  // namespace inhouse::kernels::INHOUSE_SIMD_NS
