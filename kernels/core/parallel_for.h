// A tiny std::thread pool loop for the float64 references: tasks are taken from an atomic
// counter, so uneven tasks (causal rows, sparse blocks) still balance.
#pragma once

#include "core/run_types.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace paperlab::kernels {

// The cancel token of the point this thread is computing. The run executor sets it for
// the length of a point, so every reference built on parallelTasks stops between tasks
// within moments of a Cancel (or of stdin closing), however long the whole point would take.
inline thread_local const CancelToken *currentCancelToken = nullptr;

class CancelScope {
public:
    explicit CancelScope(const CancelToken *token)
        : previous_(currentCancelToken)
    {
        currentCancelToken = token;
    }
    ~CancelScope() { currentCancelToken = previous_; }
    CancelScope(const CancelScope &) = delete;
    CancelScope &operator=(const CancelScope &) = delete;

private:
    const CancelToken *previous_;
};

// Runs fn(0..tasks-1) on a pool. When the current point is cancelled the remaining tasks
// are skipped: the caller's output is then incomplete, and the executor drops the point.
template <typename Fn>
void parallelTasks(std::size_t tasks, Fn fn, unsigned threads = 0)
{
    if (tasks == 0)
        return;
    const CancelToken *cancel = currentCancelToken;
    const auto stopped = [cancel] { return cancel && cancel->cancelled(); };
    unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    n = unsigned(std::min<std::size_t>(n, tasks));
    if (n <= 1) {
        for (std::size_t t = 0; t < tasks && !stopped(); ++t)
            fn(t);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < n; ++w)
        pool.emplace_back([&] {
            for (std::size_t t; !stopped() && (t = next.fetch_add(1)) < tasks;)
                fn(t);
        });
    for (auto &th : pool)
        th.join();
}

} // namespace paperlab::kernels
