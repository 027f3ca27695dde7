#include "core/thread_pool.h"

#include <algorithm>

namespace inhouse {

ThreadPool::ThreadPool(int n_threads) {
    for (int index = 1; index < std::max(1, n_threads); ++index) {
        workers_.emplace_back([this, index] { worker_loop(index); });
    }
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& worker : workers_) worker.join();
}

void ThreadPool::run_chunk(int index) {
    const std::int64_t n_blocks = (n_ + grain_ - 1) / grain_;
    const std::int64_t per_thread = (n_blocks + n_threads() - 1) / n_threads();
    const std::int64_t begin = std::min(n_, index * per_thread * grain_);
    const std::int64_t end = std::min(n_, (index + 1) * per_thread * grain_);
    if (begin < end) (*function_)(begin, end);
}

void ThreadPool::parallel_for(std::int64_t n, RangeFunction function, std::int64_t grain) {
    if (n <= 0) return;
    if (workers_.empty() || n <= grain) {
        function(0, n);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        function_ = &function;
        n_ = n;
        grain_ = std::max<std::int64_t>(1, grain);
        n_pending_ = static_cast<int>(workers_.size());
        ++generation_;
    }
    work_ready_.notify_all();
    run_chunk(0);
    std::unique_lock lock(mutex_);
    work_done_.wait(lock, [this] { return n_pending_ == 0; });
    function_ = nullptr;
}

void ThreadPool::worker_loop(int index) {
    std::uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            work_ready_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
        }
        run_chunk(index);
        {
            std::lock_guard lock(mutex_);
            if (--n_pending_ == 0) work_done_.notify_one();
        }
    }
}

}  // namespace inhouse
