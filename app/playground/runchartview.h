#pragma once
// One live chart of a kernel's runs: speed (TFLOP/s, GB/s or ms) or accuracy (relative L2,
// max abs error, cosine), one series per variant and run, markers at measured points,
// exact-value tooltips (with "% of peak"), p10–p90 error bars where the points carry their
// spread, zoom and pan, a dashed ceiling (measured on the run's GPU when the run carries
// one, else the datasheet figure or the user's), PNG/SVG/PDF export.

#include "chartceiling.h"
#include "kernelinfo.h"
#include "runtypes.h"

#include <QWidget>

#include <cmath>

class QComboBox;
class QCPItemText;
class QCPLayoutGrid;
class QCustomPlot;
class QLabel;

namespace paperlab::playground {

// Something drawn over the runs of one metric: a labelled horizontal line (a measured
// ceiling) when x is NaN, else a labelled marker at (x, y) (a paper's claimed figure).
struct ChartOverlay {
    QString metric; // "tflops", "gbps", "time_ms", "rel_l2", ...: shown only on that metric
    double y = 0;
    double x = std::nan("");
    QString label;
};

class RunChartView : public QWidget {
    Q_OBJECT
public:
    enum class Kind { Speed, Accuracy };
    RunChartView(Kind kind, QWidget *parent = nullptr);
    ~RunChartView() override;

    void setKernel(const KernelInfo &kernel);
    void setRuns(const QList<RunRecord> &runs);
    void addPoint(qint64 runId, const RunPoint &point);
    void setLogX(bool log);
    // The fallback ceilings (0: none), drawn for TFLOP/s or GB/s when no plotted run has a
    // measured one; `source` labels them ("datasheet", "your entry").
    void setCeiling(double tflops, double gbps, const QString &source = {});
    // Replaces the overlays (ceilings, claims); those of the shown metric are drawn.
    void setOverlays(const QList<ChartOverlay> &overlays);
    int overlayCount() const; // overlays drawn for the current metric (for tests)
    // Where the ceiling's label (first, when drawn) and the overlays' labels are, in pixels,
    // after the last replot (for tests: they must not overlap).
    QList<QRectF> labelRects() const;
    QString metricId() const;
    void setMetric(const QString &metricId);

    int pointCount() const;       // markers on the chart (for tests)
    QString emptyHint() const;    // the line an empty chart shows instead of points; empty when it has some
    double ceiling() const;       // the ceiling for the current metric; 0: none drawn
    QString ceilingLabel() const; // its label on the chart
    int errorBarCount() const;    // points drawn with a p10–p90 bar (for tests)
    // The tooltip text of graph `graph`'s point `index` (what hovering it shows).
    QString pointToolTip(int graph, int index) const;
    int seriesCount() const;
    QCustomPlot *plot() const { return m_plot; }
    // By suffix: .png (2x), .svg, .pdf. An empty size: the chart's size on screen.
    bool exportTo(const QString &path, QString *error = nullptr, QSize size = {});

signals:
    void exportCsvRequested();

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyPalette(); // background, axes and legend from the palette (the theme)
    void rebuild();
    double drawOverlays(); // returns the largest y drawn, so the range can include it
    void placeLabels();    // once the layout is known: labels moved apart where they overlap
    void fitLegend();      // as many legend columns as the widest entry leaves room for
    void showContextMenu(const QPoint &pos);
    void showToolTip(QMouseEvent *event);
    QString variantName(const QString &id) const;
    ChartCeiling currentCeiling() const;

    Kind m_kind;
    KernelInfo m_kernel;
    QList<RunRecord> m_runs;
    bool m_logX = false;
    double m_ceilingTflops = 0;
    double m_ceilingGbps = 0;
    QString m_ceilingSource;
    QList<ChartOverlay> m_overlays;
    int m_overlaysDrawn = 0;
    struct Label {
        QCPItemText *item;
        double y; // where its figure is (plot coordinates); it may be drawn off it
    };
    QList<Label> m_labels; // the ceiling's first: it stays on its line, the others make way
    QString m_emptyHint;
    QCPItemText *m_hint = nullptr; // the empty chart's hint, wrapped to the plot once laid out
    QComboBox *m_metricBox;
    QLabel *m_note;
    QCustomPlot *m_plot;
    QList<QList<int>> m_graphPoints; // per graph: the run.points index of each drawn point
    QCPLayoutGrid *m_legendRow;      // below the axis rect, holding the legend; owned by the plot once added
};

} // namespace paperlab::playground
