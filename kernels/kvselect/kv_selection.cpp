#include "kvselect/kv_selection.h"

#include "kvselect/int8_metadata.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace paperlab::kernels {

namespace {

struct PolicyName {
    KvPolicy p;
    const char *name;
};
constexpr PolicyName kNames[] = {{KvPolicy::Streaming, "streaming"}, {KvPolicy::H2O, "h2o"},
                                 {KvPolicy::Tova, "tova"},           {KvPolicy::SnapKV, "snapkv"},
                                 {KvPolicy::Quest, "quest"},         {KvPolicy::DoubleSparsity, "double_sparsity"}};

double dot(const double *a, const double *b, int d)
{
    double s = 0;
    for (int c = 0; c < d; ++c)
        s += a[c] * b[c];
    return s;
}

// softmax over keys [0, L) of one query row, added into acc[0, n).
void addSoftmax(const double *q, const KvHeadView &h, int n, std::vector<double> &acc)
{
    const double scale = 1.0 / std::sqrt(double(h.d));
    std::vector<double> s(h.L);
    double mx = -std::numeric_limits<double>::infinity();
    for (int j = 0; j < h.L; ++j)
        mx = std::max(mx, s[j] = dot(q, h.k + std::size_t(j) * h.d, h.d) * scale);
    double sum = 0;
    for (int j = 0; j < h.L; ++j)
        sum += (s[j] = std::exp(s[j] - mx));
    for (int j = 0; j < n; ++j)
        acc[j] += s[j] / sum;
}

// Tokens not in the always-kept recent window.
int scoredPrefix(const KvSelectConfig &c, int L)
{
    switch (c.policy) {
    case KvPolicy::H2O:
    case KvPolicy::SnapKV:
        return L - c.window;
    default:
        return L;
    }
}

} // namespace

bool parseKvPolicy(const std::string &name, KvPolicy &out)
{
    for (const auto &n : kNames)
        if (name == n.name) {
            out = n.p;
            return true;
        }
    return false;
}

const char *kvPolicyName(KvPolicy p)
{
    for (const auto &n : kNames)
        if (n.p == p)
            return n.name;
    return "?";
}

PageBounds questPageBounds(const double *k, int page, int P, int d, int bits)
{
    PageBounds b;
    if (bits == 8) {
        std::vector<unsigned char> codes(2 * std::size_t(d));
        const float s = questPageCodes(k, page, P, d, codes.data());
        for (int c = 0; c < d; ++c) {
            b.mn.push_back(double(codes[2 * c] - int8meta::kCodeBias) * s);
            b.mx.push_back(double(codes[2 * c + 1] - int8meta::kCodeBias) * s);
        }
        return b;
    }
    b.mn.assign(d, std::numeric_limits<double>::infinity());
    b.mx.assign(d, -std::numeric_limits<double>::infinity());
    for (int c = 0; c < d; ++c)
        for (int j = page * P; j < (page + 1) * P; ++j) {
            b.mn[c] = std::min(b.mn[c], k[std::size_t(j) * d + c]);
            b.mx[c] = std::max(b.mx[c], k[std::size_t(j) * d + c]);
        }
    return b;
}

float questPageCodes(const double *k, int page, int P, int d, unsigned char *codes)
{
    const PageBounds b = questPageBounds(k, page, P, d, 16);
    double amax = 0;
    for (int c = 0; c < d; ++c)
        amax = std::max({amax, std::fabs(b.mn[c]), std::fabs(b.mx[c])});
    const float s = int8meta::boundScale(amax);
    for (int c = 0; c < d; ++c) {
        codes[2 * c] = static_cast<unsigned char>(int8meta::floorCode(b.mn[c], s) + int8meta::kCodeBias);
        codes[2 * c + 1] = static_cast<unsigned char>(int8meta::ceilCode(b.mx[c], s) + int8meta::kCodeBias);
    }
    return s;
}

double questPageBound(const double *q, const PageBounds &b)
{
    double bound = 0;
    for (std::size_t c = 0; c < b.mn.size(); ++c)
        bound += std::max(q[c] * b.mn[c], q[c] * b.mx[c]);
    return bound;
}

double questPageBound(const double *q, const double *k, int page, int P, int d)
{
    return questPageBound(q, questPageBounds(k, page, P, d, 16));
}

double selectionMetadataBytes(const KvSelectConfig &c, int L, int d)
{
    if (c.policy == KvPolicy::Quest) // per page: (min, max) per channel, and an fp32 scale in 8 bits
        return double(L / c.pageSize) * (c.boundsBits == 8 ? 2.0 * d + 4 : 4.0 * d);
    if (c.policy == KvPolicy::DoubleSparsity) // per token: its label keys, and an fp16 scale in 8 or 4 bits
        return double(L) * (c.labelBits < 16 ? c.labelChannels * c.labelBits / 8.0 + 2.0 : 2.0 * c.labelChannels);
    return 0;
}

double labelCodes(const double *key, const std::vector<int> &labels, int bits, unsigned char *codes)
{
    double amax = 0;
    for (int ch : labels)
        amax = std::max(amax, std::fabs(key[ch]));
    const double s = int8meta::labelScale(amax, bits);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const int u = int8meta::nearestCode(key[labels[i]], s, bits) + int8meta::codeBias(bits);
        if (bits == 8)
            codes[i] = static_cast<unsigned char>(u);
        else if (i % 2 == 0)
            codes[i / 2] = static_cast<unsigned char>(u);
        else
            codes[i / 2] = static_cast<unsigned char>(codes[i / 2] | u << 4);
    }
    return s;
}

void labelKeys(const double *key, const std::vector<int> &labels, int bits, double *out)
{
    if (bits != 8 && bits != 4) {
        for (std::size_t i = 0; i < labels.size(); ++i)
            out[i] = key[labels[i]];
        return;
    }
    std::vector<unsigned char> codes(labels.size());
    const double s = labelCodes(key, labels, bits, codes.data());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const int u = bits == 8 ? codes[i] : (codes[i / 2] >> (4 * (i % 2))) & 15;
        out[i] = double(u - int8meta::codeBias(bits)) * s;
    }
}

std::vector<int> labelChannels(const KvHeadView &h, int r)
{
    std::vector<double> qa(h.d, 0.0), ka(h.d, 0.0);
    for (int i = 0; i < h.obsRows; ++i)
        for (int c = 0; c < h.d; ++c)
            qa[c] += std::fabs(h.obs[std::size_t(i) * h.d + c]);
    for (int j = 0; j < h.L; ++j)
        for (int c = 0; c < h.d; ++c)
            ka[c] += std::fabs(h.k[std::size_t(j) * h.d + c]);
    std::vector<double> w(h.d);
    for (int c = 0; c < h.d; ++c)
        w[c] = qa[c] * ka[c];
    return topIndices(w, h.d, std::min(r, h.d));
}

std::vector<double> selectionScores(const KvSelectConfig &c, const KvHeadView &h, const std::vector<int> &labels)
{
    const int n = scoredPrefix(c, h.L);
    std::vector<double> s;
    switch (c.policy) {
    case KvPolicy::Streaming:
        break;
    case KvPolicy::H2O:
        s.assign(n, 0.0);
        for (int i = 0; i < h.obsRows; ++i)
            addSoftmax(h.obs + std::size_t(i) * h.d, h, n, s);
        break;
    case KvPolicy::Tova: {
        // The latest observation query of every head of the group (the last obsRows/rows rows of each).
        s.assign(n, 0.0);
        const int perHead = std::max(1, h.obsRows / std::max(1, h.rows));
        for (int r = 0; r < h.rows && (r + 1) * perHead <= h.obsRows; ++r)
            addSoftmax(h.obs + std::size_t((r + 1) * perHead - 1) * h.d, h, n, s);
        break;
    }
    case KvPolicy::SnapKV: {
        std::vector<double> votes(n, 0.0);
        for (int i = 0; i < h.obsRows; ++i)
            addSoftmax(h.obs + std::size_t(i) * h.d, h, n, votes);
        s.assign(n, 0.0);
        const int half = c.pool / 2;
        for (int j = 0; j < n; ++j) { // average pool, window clipped at the ends (count_include_pad off)
            double sum = 0;
            int cnt = 0;
            for (int t = std::max(0, j - half); t <= std::min(n - 1, j + half); ++t, ++cnt)
                sum += votes[t];
            s[j] = sum / cnt;
        }
        break;
    }
    case KvPolicy::Quest: {
        const int pages = h.L / c.pageSize;
        s.assign(pages, 0.0);
        for (int p = 0; p < pages; ++p) {
            const PageBounds b = questPageBounds(h.k, p, c.pageSize, h.d, c.boundsBits);
            for (int r = 0; r < h.rows; ++r)
                s[p] += questPageBound(h.q + std::size_t(r) * h.d, b);
        }
        break;
    }
    case KvPolicy::DoubleSparsity: {
        s.assign(n, 0.0);
        std::vector<double> key(labels.size());
        for (int j = 0; j < n; ++j) {
            labelKeys(h.k + std::size_t(j) * h.d, labels, c.labelBits, key.data());
            for (int r = 0; r < h.rows; ++r)
                for (std::size_t i = 0; i < labels.size(); ++i)
                    s[j] += h.q[std::size_t(r) * h.d + labels[i]] * key[i];
        }
        break;
    }
    }
    return s;
}

std::vector<int> topIndices(const std::vector<double> &scores, int n, int k)
{
    std::vector<int> idx(n);
    std::iota(idx.begin(), idx.end(), 0);
    k = std::clamp(k, 0, n);
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
                      [&](int a, int b) { return scores[a] > scores[b] || (scores[a] == scores[b] && a < b); });
    idx.resize(k);
    std::sort(idx.begin(), idx.end());
    return idx;
}

int selectedCount(const KvSelectConfig &c, int L)
{
    const int B = std::min(c.budget, L);
    return c.policy == KvPolicy::Quest ? B / c.pageSize * c.pageSize : B;
}

std::vector<int> selectTokens(const KvSelectConfig &c, const KvHeadView &h, const std::vector<int> &labels)
{
    std::vector<int> sel;
    const int L = h.L, B = std::min(c.budget, L);
    if (c.policy == KvPolicy::Streaming) {
        const int s = std::min(c.sinks, B);
        for (int j = 0; j < s; ++j)
            sel.push_back(j);
        for (int j = L - (B - s); j < L; ++j)
            sel.push_back(j);
        return sel;
    }
    const std::vector<double> s = selectionScores(c, h, labels);
    if (c.policy == KvPolicy::Quest) {
        for (int p : topIndices(s, int(s.size()), B / c.pageSize))
            for (int j = p * c.pageSize; j < (p + 1) * c.pageSize; ++j)
                sel.push_back(j);
        return sel;
    }
    const int n = scoredPrefix(c, L);
    sel = topIndices(s, n, B - (L - n));
    for (int j = n; j < L; ++j)
        sel.push_back(j);
    return sel;
}

double sparseDecodeFloat64(const KvHeadView &h, const double *v, const std::vector<int> &sel, double scale,
                           double *sparseOut, double *fullOut)
{
    std::vector<double> s(h.L);
    std::vector<char> chosen(h.L, 0);
    for (int j : sel)
        chosen[j] = 1;
    double mass = 0;
    for (int r = 0; r < h.rows; ++r) {
        const double *q = h.q + std::size_t(r) * h.d;
        double mx = -std::numeric_limits<double>::infinity(), mxSel = mx;
        for (int j = 0; j < h.L; ++j) {
            s[j] = dot(q, h.k + std::size_t(j) * h.d, h.d) * scale;
            mx = std::max(mx, s[j]);
            if (chosen[j])
                mxSel = std::max(mxSel, s[j]);
        }
        double sum = 0, sumSel = 0;
        for (int j = 0; j < h.L; ++j) {
            sum += std::exp(s[j] - mx);
            if (chosen[j])
                sumSel += std::exp(s[j] - mxSel);
        }
        double *full = fullOut + std::size_t(r) * h.d;
        double *sp = sparseOut + std::size_t(r) * h.d;
        std::fill(full, full + h.d, 0.0);
        std::fill(sp, sp + h.d, 0.0);
        double kept = 0;
        for (int j = 0; j < h.L; ++j) {
            const double pf = std::exp(s[j] - mx) / sum;
            const double *vj = v + std::size_t(j) * h.d;
            for (int c = 0; c < h.d; ++c)
                full[c] += pf * vj[c];
            if (chosen[j]) {
                kept += pf;
                const double ps = std::exp(s[j] - mxSel) / sumSel;
                for (int c = 0; c < h.d; ++c)
                    sp[c] += ps * vj[c];
            }
        }
        mass += kept;
    }
    return mass;
}

} // namespace paperlab::kernels
