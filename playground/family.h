#pragma once
// Which kernels a paper offers in its playground: its own (the registry lists the paper's
// key) or, failing that, related ones from the same family, found through its topics.

#include "kernelinfo.h"
#include "library.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace paperlab::playground {

struct PaperKernel {
    QString kernelId;
    bool own = false; // the paper's own kernel, not just a related one
    // Own kernels: "FlashAttention-3 → flash_attention, variant flash_tma"; related ones:
    // "related through topic KV Cache".
    QString reason;
    QString variant; // the variant that implements the paper; empty: the kernel as a whole
};

// Families a kernel belongs to ("attention", "kv_cache", "sparse_attention", "quantization").
QStringList kernelFamilies(const KernelInfo &kernel);

// Families a topic (display name or key) points at.
QStringList topicFamilies(const QString &topic);

// Own kernels first (those naming the paper by its arXiv id or title, see KernelInfo::
// paperKeys, or having a variant that names it, see VariantInfo::paperKeys), then related
// ones through its topics; empty when nothing fits.
QList<PaperKernel> kernelsForPaper(const Paper &paper, const QList<KernelInfo> &kernels = localKernels());

} // namespace paperlab::playground
