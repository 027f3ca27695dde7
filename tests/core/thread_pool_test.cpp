#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace inhouse {
namespace {

struct Chunk {
    std::int64_t begin;
    std::int64_t end;
    std::thread::id thread;
};

std::vector<Chunk> chunks_of(ThreadPool& pool, std::int64_t n, std::int64_t grain,
                             std::chrono::milliseconds first_chunk_delay = {}) {
    std::mutex mutex;
    std::vector<Chunk> chunks;
    pool.parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
        if (begin == 0) std::this_thread::sleep_for(first_chunk_delay);
        const std::lock_guard lock(mutex);
        chunks.push_back({begin, end, std::this_thread::get_id()});
    }, grain);
    return chunks;
}

TEST(ThreadPool, CoversEveryIndexOnceInWholeGrains) {
    for (const int n_threads : {1, 2, 3, 8}) {
        ThreadPool pool(n_threads);
        for (const std::int64_t n : {1, 7, 64, 1000, 4097}) {
            for (const std::int64_t grain : {1, 8, 64}) {
                std::vector<int> seen(static_cast<std::size_t>(n), 0);
                for (const auto& chunk : chunks_of(pool, n, grain)) {
                    EXPECT_LT(chunk.begin, chunk.end);
                    EXPECT_EQ(chunk.begin % grain, 0) << "n " << n << " grain " << grain;
                    if (chunk.end != n) {
                        EXPECT_EQ(chunk.end % grain, 0) << "n " << n << " grain " << grain;
                    }
                    for (std::int64_t i = chunk.begin; i < chunk.end; ++i) ++seen[static_cast<std::size_t>(i)];
                }
                for (std::int64_t i = 0; i < n; ++i) ASSERT_EQ(seen[static_cast<std::size_t>(i)], 1) << "index " << i;
            }
        }
    }
}

TEST(ThreadPool, AThreadHeldUpLeavesTheRestOfTheWorkToTheOthers) {
    ThreadPool pool(2);
    const auto chunks = chunks_of(pool, 1024, 8, std::chrono::milliseconds(200));
    std::thread::id held_up;
    for (const auto& chunk : chunks) {
        if (chunk.begin == 0) held_up = chunk.thread;
    }
    // With fixed equal shares the held-up thread would still owe the rest of its half.
    std::int64_t done_by_held_up = 0;
    for (const auto& chunk : chunks) {
        if (chunk.thread == held_up) done_by_held_up += chunk.end - chunk.begin;
    }
    EXPECT_LT(done_by_held_up, 1024 / 2);
    EXPECT_GT(chunks.size(), 2u);
}

// Large pieces first (long runs through the weights), one grain at the end, so neither thread
// waits long for the other's last piece.
TEST(ThreadPool, PiecesShrinkToOneGrainTowardTheEnd) {
    ThreadPool pool(2);
    auto chunks = chunks_of(pool, 4096, 16);
    std::sort(chunks.begin(), chunks.end(), [](const Chunk& a, const Chunk& b) { return a.begin < b.begin; });
    ASSERT_GE(chunks.size(), 4u);
    EXPECT_GE(chunks.front().end - chunks.front().begin, 4096 / 8);
    for (std::size_t i = 1; i < chunks.size(); ++i) {
        EXPECT_LE(chunks[i].end - chunks[i].begin, chunks[i - 1].end - chunks[i - 1].begin) << "piece " << i;
    }
    EXPECT_EQ(chunks.back().end - chunks.back().begin, 16);
}

TEST(ThreadPool, RunsThousandsOfCallsInARow) {
    ThreadPool pool(3);
    std::atomic<std::int64_t> total = 0;
    for (int call = 0; call < 2000; ++call) {
        pool.parallel_for(100, [&](std::int64_t begin, std::int64_t end) { total += end - begin; });
    }
    EXPECT_EQ(total.load(), 2000 * 100);
}

}  // namespace
}  // namespace inhouse
