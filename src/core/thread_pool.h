// A fixed set of worker threads that split index ranges between them. The calling thread takes
// part, so a pool of N threads runs N ranges at a time. No allocation per parallel_for.
//
// A decode step is a few hundred parallel_for calls microseconds apart, so waking sleeping
// threads through the kernel each time would cost more than the work. Workers spin on an
// atomic for up to about a millisecond after a job, then sleep (atomic wait) until the next.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace inhouse {

// A non-owning reference to a callable `void(std::int64_t begin, std::int64_t end)`.
class RangeFunction {
public:
    template <typename F>
    RangeFunction(const F& function)  // NOLINT: implicit by design, like std::function_ref
        : object_(&function), call_([](const void* object, std::int64_t begin, std::int64_t end) {
              (*static_cast<const F*>(object))(begin, end);
          }) {}
    void operator()(std::int64_t begin, std::int64_t end) const { call_(object_, begin, end); }

private:
    const void* object_;
    void (*call_)(const void*, std::int64_t, std::int64_t);
};

class ThreadPool {
public:
    explicit ThreadPool(int n_threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int n_threads() const { return static_cast<int>(workers_.size()) + 1; }

    // Calls function(begin, end) on disjoint chunks covering [0, n), in parallel, and returns
    // when all are done. Chunks are whole multiples of `grain` (except the last).
    void parallel_for(std::int64_t n, RangeFunction function, std::int64_t grain = 1);

    // Each thread takes 1/(kSharesPerThread × threads) of what is left as it finishes a piece,
    // so a thread slowed by its neighbours (a shared host, an interrupt) does not hold the
    // others at the end of every call, as fixed equal shares did, and the last pieces are a
    // grain each (equal chunks of 1/16 left one thread idle ~2% of a 7B decode).
    static constexpr std::int64_t kSharesPerThread = 2;

private:
    void worker_loop();
    void run_chunks();

    std::vector<std::thread> workers_;
    // Bumped to publish a job (release), read by workers (acquire).
    std::atomic<std::uint64_t> generation_ = 0;
    std::atomic<int> n_pending_ = 0;
    std::atomic<bool> stopping_ = false;
    // The current job, written before generation_ is bumped, valid while n_pending_ > 0.
    const RangeFunction* function_ = nullptr;
    std::int64_t n_ = 0;
    std::int64_t grain_ = 1;
    std::atomic<std::int64_t> next_begin_ = 0;
};

}  // namespace inhouse
