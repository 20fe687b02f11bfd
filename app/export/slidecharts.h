#pragma once
// Charts of the playground runs a user pinned to a paper, read through the catalog's run
// store and painted with QPainter, so exports do not depend on the playground's widgets.
// Colour-blind-safe palette (Okabe-Ito), slide-sized fonts.

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>

class QImage;
class QPainter;

namespace paperlab {

class RunStore;
struct RunRecord;

struct RunSeries {
    QString variant;
    QList<QPointF> points; // sorted by x
};

struct RunChart {
    QString title;   // run name, or the kernel
    QString caption; // kernel, device, fixed parameters
    QString xLabel;  // the swept parameter
    QString yLabel;  // the metric shown
    QList<RunSeries> series;
};

// One chart per pinned run of the paper, oldest first. The metric is time_ms when the run
// has it, else the first metric its points carry.
QList<RunChart> pinnedRunCharts(RunStore &runs, qint64 paperId);
// One run's chart (empty series when no point carries a metric).
RunChart runChart(const RunRecord &run);

// Paints the chart into `rect` (logical slide pixels).
void paintRunChart(QPainter &painter, const QRectF &rect, const RunChart &chart);

// The chart as an image of `size` logical pixels at `scale`x (PNG for the HTML deck).
QImage runChartImage(const RunChart &chart, const QSizeF &size, qreal scale = 2.0);

} // namespace paperlab
