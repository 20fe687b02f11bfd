#pragma once
// The papers' claims over the charts' runs: for the kernel shown, each claim that kernel
// measures becomes a ChartOverlay (playground/claimmarks.h says where), labelled with the
// claim and what the runs measured. A paper's playground shows that paper's claims; the
// kernels overview (paperId 0) shows every paper's claims on the kernel.

#include "kernelinfo.h"
#include "runchartview.h"
#include "runtypes.h"

namespace paperlab {
class Library;
class RunStore;
} // namespace paperlab

namespace paperlab::playground {

QList<ChartOverlay> claimOverlays(Library &library, RunStore &store, qint64 paperId, const KernelInfo &kernel,
                                  const QList<RunRecord> &runs);

} // namespace paperlab::playground
