// A tiny std::thread pool loop for the float64 references: tasks are taken from an atomic
// counter, so uneven tasks (causal rows, sparse blocks) still balance.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace paperlab::kernels {

template <typename Fn>
void parallelTasks(std::size_t tasks, Fn fn, unsigned threads = 0)
{
    if (tasks == 0)
        return;
    unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    n = unsigned(std::min<std::size_t>(n, tasks));
    if (n <= 1) {
        for (std::size_t t = 0; t < tasks; ++t)
            fn(t);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < n; ++w)
        pool.emplace_back([&] {
            for (std::size_t t; (t = next.fetch_add(1)) < tasks;)
                fn(t);
        });
    for (auto& th : pool)
        th.join();
}

}  // namespace paperlab::kernels
