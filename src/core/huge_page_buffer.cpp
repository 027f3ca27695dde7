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
