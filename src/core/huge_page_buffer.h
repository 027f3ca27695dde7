// A large, writable, zero-filled buffer from anonymous memory, backed by transparent huge
// pages where the kernel allows them (MADV_HUGEPAGE): streaming gigabytes of weights through
// 4 KiB pages costs a TLB miss every 4 KiB, which keeps decode well below memory bandwidth.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/result.h"

namespace inhouse {

class HugePageBuffer {
public:
    static Result<HugePageBuffer> allocate(std::size_t size_bytes);
    // Allocated and committed: every page is touched now, so the memory is resident (and
    // counted) from the start instead of growing as the buffer fills.
    static Result<HugePageBuffer> allocate_committed(std::size_t size_bytes);

    HugePageBuffer() = default;
    HugePageBuffer(HugePageBuffer&& other) noexcept;
    HugePageBuffer& operator=(HugePageBuffer&& other) noexcept;
    HugePageBuffer(const HugePageBuffer&) = delete;
    HugePageBuffer& operator=(const HugePageBuffer&) = delete;
    ~HugePageBuffer();

    std::uint8_t* data() const { return data_; }
    std::size_t size_bytes() const { return size_bytes_; }

private:
    void release() noexcept;

    std::uint8_t* data_ = nullptr;
    std::size_t size_bytes_ = 0;
};

}  // namespace inhouse
