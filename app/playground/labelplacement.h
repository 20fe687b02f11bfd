#pragma once
// Labels over a chart sit where their figures are: the ceiling's above its line, a claim's
// beside its marker. When a claim is near the ceiling the two figures are near, and one
// label would be printed over the other. This moves labels up or down, the fewest pixels,
// until none overlaps a label placed before it; the first keeps its place.

#include <QList>
#include <QRectF>
#include <QString>

class QFont;

namespace paperlab::playground {

// The vertical offset (pixels, down is positive) of each of `labels`, in order of priority.
// Offsets keep a label inside `bounds` where a free place exists there; else it goes to the
// nearest free place. `gap`: the space left between two labels.
QList<double> separateLabels(const QList<QRectF> &labels, const QRectF &bounds, double gap = 2);

// `text` broken into lines no wider than `width` pixels in `font`, at the places Unicode
// allows (a word wider than that keeps a line of its own); its own line breaks stay. A chart
// label (QCPItemText) does not wrap itself, and was cut at the plot's edges.
QString wrapToWidth(const QString &text, const QFont &font, double width);

} // namespace paperlab::playground
