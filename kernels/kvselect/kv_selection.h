// KV-selection policies in front of one sparse decode: which cached tokens a decode step
// attends to, per (batch, KV head) (the selection is shared by the query heads of a KV head,
// so the sparse kernel reads each chosen byte once). Float64 CPU references of each paper's
// rule, and the accuracy of attending only to the chosen tokens.
//   streaming (StreamingLLM): the first `sinks` tokens + the most recent budget - sinks
//   h2o (H2O):   recent `window` + heavy hitters: top tokens by attention accumulated over
//                the observation queries (past decode steps)
//   tova (TOVA): top tokens by the attention of the latest observation query
//   snapkv (SnapKV): recent `window` + top tokens by the observation window's votes,
//                average-pooled over `pool` neighbouring tokens
//   quest (Quest): top pages by the upper bound sum_c max(q_c min_c, q_c max_c) over each
//                page's per-channel key min/max
//   double_sparsity (Double Sparsity): top tokens by q.k over `label_channels` channels,
//                chosen offline by their mean |q_c k_c| contribution (calibration)
// Ties break to the lower index everywhere (CPU and GPU).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace paperlab::kernels {

enum class KvPolicy { Streaming, H2O, Tova, SnapKV, Quest, DoubleSparsity };

bool parseKvPolicy(const std::string &name, KvPolicy &out);
const char *kvPolicyName(KvPolicy p);

struct KvSelectConfig {
    KvPolicy policy = KvPolicy::Quest;
    int budget = 4096;      // tokens attended per step
    int pageSize = 16;      // Quest pages
    int window = 64;        // recent tokens always kept (h2o, snapkv)
    int sinks = 4;          // streaming
    int pool = 7;           // snapkv
    int labelChannels = 16; // double_sparsity
    int boundsBits = 16;    // quest: page bounds as fp16 or 8-bit codes (int8_metadata.h)
    int labelBits = 16;     // double_sparsity: label keys as fp16, 8-bit or 4-bit codes
};

// One (batch, KV head): rows query rows [rows][d], obs observation queries [obsRows][d]
// (all heads of the group), keys [L][d]; everything as doubles (fp16 values widened).
struct KvHeadView {
    const double *q;
    int rows;
    const double *obs;
    int obsRows;
    const double *k;
    int L, d;
};

// Token scores whose top entries a policy keeps (h2o, tova, snapkv, double_sparsity; for quest
// one score per page). Empty for streaming.
std::vector<double> selectionScores(const KvSelectConfig &c, const KvHeadView &h, const std::vector<int> &labels);
// How many tokens selectTokens() keeps per (batch, KV head).
int selectedCount(const KvSelectConfig &c, int kvLen);
// The selected token indices, ascending.
std::vector<int> selectTokens(const KvSelectConfig &c, const KvHeadView &h, const std::vector<int> &labels);
// Indices of the `k` largest of scores[0..n) (ties: lower index), ascending.
std::vector<int> topIndices(const std::vector<double> &scores, int n, int k);
// Double Sparsity's calibration: the `r` channels with the largest mean |q_c k_c| over the
// observation queries and the keys, ascending.
std::vector<int> labelChannels(const KvHeadView &h, int r);
// Quest's per-channel key bounds of one page: the keys' own min/max (bits 16) or, with bits 8,
// the min rounded down and the max rounded up onto the page's 8-bit grid: still enclosing.
struct PageBounds {
    std::vector<double> mn, mx;
};
PageBounds questPageBounds(const double *k, int page, int pageSize, int d, int bits);
// Quest's per-page bound for one query row: sum_c max(q_c mn_c, q_c mx_c).
double questPageBound(const double *q, const PageBounds &b);
double questPageBound(const double *q, const double *k, int page, int pageSize, int d);
// The 8-bit metadata as the GPU stores it (biased codes, int8_metadata.h), to check the GPU's
// own against: Quest's (min, max) code pair of each channel of a page (2d bytes) and the page's
// scale; Double Sparsity's codes of a key's label channels and the key's scale.
float questPageCodes(const double *k, int page, int pageSize, int d, unsigned char *codes);
// bits 8: one byte a label; bits 4: two a byte (label 2i in byte i's low nibble).
double labelCodes(const double *key, const std::vector<int> &labels, int bits, unsigned char *codes);
// Bytes of Quest's page bounds or Double Sparsity's label cache per (batch, KV head): what a
// step reads besides the selected rows (0 for the other policies).
double selectionMetadataBytes(const KvSelectConfig &c, int kvLen, int d);
// Double Sparsity's label keys of one key as its score sees them (bits 8 or 4: the nearest codes
// on the key's own grid, times its scale), out[i] for labels[i].
void labelKeys(const double *key, const std::vector<int> &labels, int bits, double *out);

// Attention of the rows over the selected tokens (sparseOut) and over all tokens (fullOut),
// float64, [rows][d] each. Returns the share of the full softmax mass the selection kept,
// summed over the rows (divide by rows for the mean recall).
double sparseDecodeFloat64(const KvHeadView &h, const double *v, const std::vector<int> &sel, double scale,
                           double *sparseOut, double *fullOut);

} // namespace paperlab::kernels
