#include "core/huge_page_buffer.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace inhouse {

Result<HugePageBuffer> HugePageBuffer::allocate(std::size_t size_bytes) {
    HugePageBuffer buffer;
    if (size_bytes == 0) return buffer;
    void* address = ::mmap(nullptr, size_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (address == MAP_FAILED) {
        return make_error(ErrorCode::Io, "cannot allocate {} bytes: {}", size_bytes, std::strerror(errno));
    }
    // Advice only: without huge pages the buffer works, just with more TLB misses.
    static_cast<void>(::madvise(address, size_bytes, MADV_HUGEPAGE));
    buffer.data_ = static_cast<std::uint8_t*>(address);
    buffer.size_bytes_ = size_bytes;
    return buffer;
}

Result<HugePageBuffer> HugePageBuffer::allocate_committed(std::size_t size_bytes) {
    INHOUSE_ASSIGN_OR_RETURN(auto buffer, allocate(size_bytes));
    constexpr std::size_t kPage = 4096;
    // Writing a zero (what the page holds anyway) makes the kernel back it.
    for (std::size_t offset = 0; offset < size_bytes; offset += kPage) {
        reinterpret_cast<volatile std::uint8_t*>(buffer.data_)[offset] = 0;
    }
    return buffer;
}

HugePageBuffer::HugePageBuffer(HugePageBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_bytes_(std::exchange(other.size_bytes_, 0)) {}

HugePageBuffer& HugePageBuffer::operator=(HugePageBuffer&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_bytes_ = std::exchange(other.size_bytes_, 0);
    }
    return *this;
}

HugePageBuffer::~HugePageBuffer() { release(); }

void HugePageBuffer::release() noexcept {
    if (data_ != nullptr) ::munmap(data_, size_bytes_);
    data_ = nullptr;
    size_bytes_ = 0;
}

}  // namespace inhouse
