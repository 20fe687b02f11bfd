#include "core/random_fill.h"

#include <algorithm>
#include <random>
#include <thread>

namespace paperlab::kernels {

std::vector<std::uint16_t> randomNormalBits(std::size_t n, DType dtype, std::uint64_t seed)
{
    std::vector<std::uint16_t> out(n);
    const std::size_t chunk = 1u << 20;
    const std::size_t chunks = (n + chunk - 1) / chunk;
    unsigned workers = std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), unsigned(chunks)));
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < workers; ++w) {
        pool.emplace_back([&, w] {
            for (std::size_t c = w; c < chunks; c += workers) {
                std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + c);
                std::normal_distribution<float> normal(0.0f, 1.0f);
                std::size_t end = std::min(n, (c + 1) * chunk);
                for (std::size_t i = c * chunk; i < end; ++i)
                    out[i] = floatToDtype(dtype, normal(rng));
            }
        });
    }
    for (auto &t : pool)
        t.join();
    return out;
}

} // namespace paperlab::kernels
