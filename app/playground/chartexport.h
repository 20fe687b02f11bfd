#pragma once
// "Export all charts of this paper": for every stored run of a paper, its speed and
// accuracy charts as PNG (2x), SVG and PDF, in one slide-friendly theme (large fonts, the
// colour-blind-safe palette of the slide deck, a title on the plot itself).

#include <QSize>
#include <QString>
#include <QStringList>

namespace paperlab {
class RunStore;
}

namespace paperlab::playground {

struct ChartExportResult {
    QStringList files; // written, in order
    QString error;     // first failure; files written before it stay
};

// 16:9 at 960 x 540 logical pixels: the PNGs come out 1920 x 1080, a full-HD slide.
inline constexpr QSize kSlideChartSize{960, 540};

// Files are named <kernel>-<run id>-speed.png / -accuracy.svg / ...; the folder is created.
ChartExportResult exportAllCharts(RunStore &store, qint64 paperId, const QString &folder,
                                  QSize chartSize = kSlideChartSize);

} // namespace paperlab::playground
