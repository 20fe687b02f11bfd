// Inputs for the KV-selection family: random normal, or with structure the policies can
// find. "heavy": every KV head has a direction u on a few channels (outlier channels, as in
// real keys); queries lean towards u and a few keys (the first 4, attention sinks, and 32
// scattered ones) carry a large multiple of u. "recency": the keys of the last 512 tokens
// carry u with a weight that grows linearly towards the newest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace paperlab::kernels {

struct KvSelectInputs {
    std::vector<std::uint16_t> q;    // [batch][qHeads][d] fp16
    std::vector<std::uint16_t> obs;  // [batch][qHeads][obsWindow][d] fp16: earlier queries
    std::vector<std::uint16_t> k, v; // [batch][kvHeads][L][d] fp16
};

// kind: "random", "heavy" or "recency".
KvSelectInputs makeKvSelectInputs(const std::string &kind, int batch, int qHeads, int kvHeads, int L, int d,
                                  int obsWindow, std::uint64_t seed);

} // namespace paperlab::kernels
