// Block geometry of every tensor type as compile-time constants, read from the same
// gguf/tensor_type.def rows that drive gguf::TensorType, so a block struct can
// static_assert its size against the format's table.
#pragma once

#include <cstdint>

#include "gguf/tensor_type.h"

namespace inhouse::kernels {

struct BlockGeometry {
    std::uint32_t block_size;        // elements per block
    std::uint32_t block_size_bytes;  // bytes per block
};

constexpr BlockGeometry block_geometry(gguf::TensorType type) {
    switch (type) {
#define X(name, display, id, block, bytes) \
    case gguf::TensorType::name:           \
        return BlockGeometry{block, bytes};
#include "gguf/tensor_type.def"
#undef X
    }
    return BlockGeometry{0, 0};
}

// Elements per super-block of the K-quants (ggml's QK_K).
inline constexpr int kSuperBlockSize = 256;

}  // namespace inhouse::kernels
