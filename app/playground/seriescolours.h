#pragma once
// The colour of a variant's series on the playground's charts. Baselines keep one colour
// on every kernel (PyTorch SDPA flash purple, cuDNN brown, ...), so a reader learns them
// once; the kernel's own variants take the other colours in order, ten of them before any
// repeats. On a dark chart the darkest colours are lightened so every line reads.

#include <QColor>
#include <QString>
#include <QStringList>

namespace paperlab::playground {

// The colour of `variantId` among `variantOrder` (the kernel's variants and any others
// drawn, in a stable order) on a chart with `background`.
QColor seriesColour(const QString &variantId, const QStringList &variantOrder, const QColor &background);

} // namespace paperlab::playground
