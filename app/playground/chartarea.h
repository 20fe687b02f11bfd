#pragma once
// The playground's right-hand side below the toolbar: the device ceiling entry, the speed and
// accuracy charts, and, for block-sparse kernels, the mask beside them. Overlays (measured
// ceilings, a paper's claimed figures) go through setOverlays, one list for both charts.

#include "ceilingentry.h"
#include "kernelinfo.h"
#include "runchartview.h"
#include "runtypes.h"

#include <QWidget>

class QBoxLayout;

namespace paperlab::playground {

class BlockMaskView;

// Block-sparse kernels compute only the blocks a mask keeps; the chart area shows that mask.
bool showsBlockMask(const KernelInfo &kernel);

class ChartArea : public QWidget {
    Q_OBJECT
public:
    explicit ChartArea(QWidget *parent = nullptr);

    // The charts' variants and units; speed judged by the metric the kernel's spec names.
    void setKernel(const KernelInfo &kernel);
    // The device a run goes to: its ceiling is shown in the entry and drawn.
    void showDevice(const QString &deviceName);
    // The runs to plot (stored ones, with points); they bring their GPU's ceiling when it is
    // not the selected device's.
    void setRuns(const QList<RunRecord> &runs);
    void addPoint(qint64 runId, const RunPoint &point); // a point streaming in
    // Lines and markers over the runs; each chart draws those of the metric it shows.
    void setOverlays(const QList<ChartOverlay> &overlays);
    // The mask below the charts rather than beside them: in a narrow column (a stacked
    // playground) the two side by side need some 470 px.
    void setMaskBelow(bool below);
    // The least width with the mask beside the charts, wherever it is now.
    int minimumWidthBeside() const;

    RunChartView *speedChart() const { return m_speed; }
    RunChartView *accuracyChart() const { return m_accuracy; }
    BlockMaskView *maskView() const { return m_mask; }
    CeilingEntry *ceilingEntry() const { return m_ceilingEntry; }

signals:
    void ceilingEdited();      // replot: the runs are the owner's to reload
    void exportCsvRequested(); // from a chart's context menu

private:
    CeilingEntry *m_ceilingEntry;
    RunChartView *m_speed;
    RunChartView *m_accuracy;
    BlockMaskView *m_mask;
    QBoxLayout *m_chartsAndMask;
};

} // namespace paperlab::playground
