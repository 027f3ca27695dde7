#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>

namespace inhouse {

namespace {

// Spins until value != old or about a millisecond has passed, then sleeps in atomic wait.
template <typename T>
T wait_for_change(const std::atomic<T>& value, T old) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
    for (int i = 0;; ++i) {
        const T current = value.load(std::memory_order_acquire);
        if (current != old) return current;
        __builtin_ia32_pause();
        if ((i & 255) == 255 && std::chrono::steady_clock::now() > deadline) break;
    }
    for (;;) {
        value.wait(old, std::memory_order_acquire);
        const T current = value.load(std::memory_order_acquire);
        if (current != old) return current;
    }
}

}  // namespace

ThreadPool::ThreadPool(int n_threads) {
    for (int index = 1; index < std::max(1, n_threads); ++index) {
        workers_.emplace_back([this] { worker_loop(); });
    }
}

ThreadPool::~ThreadPool() {
    stopping_.store(true, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    for (auto& worker : workers_) worker.join();
}

void ThreadPool::run_chunks() {
    std::int64_t begin = next_begin_.load(std::memory_order_relaxed);
    for (;;) {
        if (begin >= n_) return;
        // A share of what is left, in whole grains: large pieces first (long streams through
        // the weights), then smaller ones, so the threads finish within a grain of each other.
        const std::int64_t share = (n_ - begin) / (kSharesPerThread * n_threads());
        const std::int64_t size = std::max<std::int64_t>(1, share / grain_) * grain_;
        if (next_begin_.compare_exchange_weak(begin, begin + size, std::memory_order_relaxed)) {
            (*function_)(begin, std::min(n_, begin + size));
            begin = next_begin_.load(std::memory_order_relaxed);
        }
    }
}

void ThreadPool::parallel_for(std::int64_t n, RangeFunction function, std::int64_t grain) {
    if (n <= 0) return;
    if (workers_.empty() || n <= grain) {
        function(0, n);
        return;
    }
    function_ = &function;
    n_ = n;
    grain_ = std::max<std::int64_t>(1, grain);
    next_begin_.store(0, std::memory_order_relaxed);
    n_pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    run_chunks();
    for (int pending = n_pending_.load(std::memory_order_acquire); pending != 0;
         pending = n_pending_.load(std::memory_order_acquire)) {
        wait_for_change(n_pending_, pending);
    }
    function_ = nullptr;
}

void ThreadPool::worker_loop() {
    std::uint64_t seen = 0;
    for (;;) {
        seen = wait_for_change(generation_, seen);
        if (stopping_.load(std::memory_order_relaxed)) return;
        run_chunks();
        if (n_pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) n_pending_.notify_one();
    }
}

}  // namespace inhouse
