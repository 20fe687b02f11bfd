#include "kvselect/kv_selection_inputs.h"

#include "core/half_bits.h"
#include "core/random_fill.h"

#include <cmath>
#include <random>

namespace paperlab::kernels {

namespace {

constexpr int kOutlierChannels = 8;
constexpr double kQueryLean = 4.0; // q += lean * u
constexpr double kHeavyKey = 20.0; // k_heavy += 20 u: about e^7 times a random key's weight at d=128
constexpr int kHeavyKeys = 32;
constexpr int kRecent = 512;

void addDirection(std::uint16_t *x, const std::vector<double> &u, double w)
{
    for (std::size_t c = 0; c < u.size(); ++c)
        x[c] = floatToF16(float(f16ToFloat(x[c]) + w * u[c]));
}

} // namespace

KvSelectInputs makeKvSelectInputs(const std::string &kind, int batch, int qHeads, int kvHeads, int L, int d,
                                  int obsWindow, std::uint64_t seed)
{
    KvSelectInputs in;
    in.q = randomNormalBits(std::size_t(batch) * qHeads * d, DType::F16, seed * 5 + 0);
    in.obs = randomNormalBits(std::size_t(batch) * qHeads * obsWindow * d, DType::F16, seed * 5 + 1);
    in.k = randomNormalBits(std::size_t(batch) * kvHeads * L * d, DType::F16, seed * 5 + 2);
    in.v = randomNormalBits(in.k.size(), DType::F16, seed * 5 + 3);
    if (kind == "random")
        return in;
    std::mt19937_64 rng(seed * 5 + 4);
    const int group = qHeads / kvHeads;
    for (int b = 0; b < batch; ++b)
        for (int hk = 0; hk < kvHeads; ++hk) {
            std::vector<double> u(d, 0.0);
            for (int i = 0; i < kOutlierChannels; ++i)
                u[rng() % d] = (rng() & 1 ? 1.0 : -1.0) / std::sqrt(double(kOutlierChannels));
            for (int r = 0; r < group; ++r) {
                const std::size_t h = std::size_t(b) * qHeads + hk * group + r;
                addDirection(&in.q[h * d], u, kQueryLean);
                for (int i = 0; i < obsWindow; ++i)
                    addDirection(&in.obs[(h * obsWindow + i) * d], u, kQueryLean);
            }
            std::uint16_t *K = &in.k[(std::size_t(b) * kvHeads + hk) * L * d];
            if (kind == "heavy") {
                for (int j = 0; j < std::min(4, L); ++j)
                    addDirection(K + std::size_t(j) * d, u, kHeavyKey);
                for (int i = 0; i < kHeavyKeys; ++i)
                    addDirection(K + std::size_t(rng() % L) * d, u, kHeavyKey);
            } else {
                for (int j = std::max(0, L - kRecent); j < L; ++j)
                    addDirection(K + std::size_t(j) * d, u, kHeavyKey * (1.0 - double(L - 1 - j) / kRecent));
            }
        }
    return in;
}

} // namespace paperlab::kernels
