// Counts calls to the global operator new on the current thread while a scope is open, so a
// test can assert that a hot path allocates nothing. allocation_counter.cpp replaces the global
// allocation functions of the test binary to do the counting.
#pragma once

#include <cstddef>

namespace inhouse::testing {

class AllocationCounter {
public:
    AllocationCounter();
    ~AllocationCounter();
    AllocationCounter(const AllocationCounter&) = delete;
    AllocationCounter& operator=(const AllocationCounter&) = delete;

    // Allocations on this thread since construction.
    std::size_t n_allocations() const;

private:
    std::size_t start_;
};

}  // namespace inhouse::testing
