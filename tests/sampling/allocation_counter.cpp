#include "sampling/allocation_counter.h"

#include <cstdlib>
#include <new>

namespace {

thread_local std::size_t t_n_allocations = 0;

void* counted_allocate(std::size_t size_bytes) {
    ++t_n_allocations;
    // malloc(0) may return null; operator new must not.
    void* memory = std::malloc(size_bytes == 0 ? 1 : size_bytes);
    if (memory == nullptr) {
        std::abort();  // the test binary never runs out of memory on purpose
    }
    return memory;
}

}  // namespace

// Every non-aligned form is replaced, deletes included, so that allocation and release always
// pair malloc with free (a sanitizer flags new/free mismatches otherwise).
void* operator new(std::size_t size_bytes) { return counted_allocate(size_bytes); }
void* operator new[](std::size_t size_bytes) { return counted_allocate(size_bytes); }
void* operator new(std::size_t size_bytes, const std::nothrow_t&) noexcept {
    return counted_allocate(size_bytes);
}
void* operator new[](std::size_t size_bytes, const std::nothrow_t&) noexcept {
    return counted_allocate(size_bytes);
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }

namespace inhouse::testing {

AllocationCounter::AllocationCounter() : start_(t_n_allocations) {}
AllocationCounter::~AllocationCounter() = default;

std::size_t AllocationCounter::n_allocations() const { return t_n_allocations - start_; }

}  // namespace inhouse::testing
