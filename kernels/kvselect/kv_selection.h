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
// Quest's per-page bound for one query row.
double questPageBound(const double *q, const double *k, int page, int pageSize, int d);

// Attention of the rows over the selected tokens (sparseOut) and over all tokens (fullOut),
// float64, [rows][d] each. Returns the share of the full softmax mass the selection kept,
// summed over the rows (divide by rows for the mean recall).
double sparseDecodeFloat64(const KvHeadView &h, const double *v, const std::vector<int> &sel, double scale,
                           double *sparseOut, double *fullOut);

} // namespace paperlab::kernels
