#include "sparse/block_list.h"

#include <algorithm>
#include <string>

namespace paperlab::kernels {

CompactBlockList compactBlockMask(const BlockMask &m, bool causal)
{
    CompactBlockList c;
    c.heads = m.heads;
    c.qBlocks = m.qBlocks;
    c.maxKept = m.kBlocks;
    c.list.assign(std::size_t(m.heads) * m.qBlocks * m.kBlocks, 0);
    c.count.assign(std::size_t(m.heads) * m.qBlocks, 0);
    for (int h = 0; h < m.heads; ++h)
        for (int i = 0; i < m.qBlocks; ++i) {
            const int visible = causal ? std::min(i + 1, m.kBlocks) : m.kBlocks;
            std::int32_t *out = &c.list[(std::size_t(h) * m.qBlocks + i) * m.kBlocks];
            int n = 0;
            for (int j = 0; j < visible; ++j)
                if (m.at(h, i, j) || (causal && j == i))
                    out[n++] = j;
            c.count[std::size_t(h) * m.qBlocks + i] = n;
            c.emptyRows += n == 0 ? 1 : 0;
        }
    return c;
}

std::string firstCompactListDifference(const CompactBlockList &a, const CompactBlockList &b)
{
    if (a.heads != b.heads || a.qBlocks != b.qBlocks)
        return "shape " + std::to_string(a.heads) + "x" + std::to_string(a.qBlocks) + " vs " + std::to_string(b.heads) +
               "x" + std::to_string(b.qBlocks);
    for (int h = 0; h < a.heads; ++h)
        for (int i = 0; i < a.qBlocks; ++i) {
            const int n = a.count[std::size_t(h) * a.qBlocks + i];
            if (n != b.count[std::size_t(h) * b.qBlocks + i] || n > a.maxKept || n > b.maxKept ||
                !std::equal(a.row(h, i), a.row(h, i) + n, b.row(h, i)))
                return "head " + std::to_string(h) + ", query block " + std::to_string(i);
        }
    return {};
}

} // namespace paperlab::kernels
