#include "chartarea.h"

#include "blockmaskview.h"
#include "family.h"
#include "sweep.h"

#include <QHBoxLayout>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace paperlab::playground {

bool showsBlockMask(const KernelInfo &kernel)
{
    return kernelFamilies(kernel).contains(QStringLiteral("sparse_attention"));
}

ChartArea::ChartArea(QWidget *parent)
    : QWidget(parent)
    , m_ceilingEntry(new CeilingEntry(this))
    , m_speed(new RunChartView(RunChartView::Kind::Speed, this))
    , m_accuracy(new RunChartView(RunChartView::Kind::Accuracy, this))
    , m_mask(new BlockMaskView(this))
{
    setObjectName(QStringLiteral("chartArea"));
    m_speed->setObjectName(QStringLiteral("speedChart"));
    m_accuracy->setObjectName(QStringLiteral("accuracyChart"));
    auto *charts = new QSplitter(Qt::Vertical, this);
    charts->addWidget(m_speed);
    charts->addWidget(m_accuracy);
    // Beside the charts: a mask is square, so it fits the width the charts can spare. At a
    // fixed 260 px it pushed the playground past a 1500 px window's page (cut by ~50 px); it
    // gives way down to 200 px (its image keeps 160) before the page has to scroll.
    m_mask->setMinimumWidth(200);
    m_mask->setMaximumWidth(260);
    m_mask->hide();
    m_chartsAndMask = new QHBoxLayout;
    m_chartsAndMask->addWidget(charts, 3);
    m_chartsAndMask->addWidget(m_mask, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_ceilingEntry);
    layout->addLayout(m_chartsAndMask, 1);
    connect(m_ceilingEntry, &CeilingEntry::edited, this, &ChartArea::ceilingEdited);
    connect(m_speed, &RunChartView::exportCsvRequested, this, &ChartArea::exportCsvRequested);
    connect(m_accuracy, &RunChartView::exportCsvRequested, this, &ChartArea::exportCsvRequested);
}

void ChartArea::setKernel(const KernelInfo &kernel)
{
    m_speed->setKernel(kernel);
    m_accuracy->setKernel(kernel);
    m_mask->clear();
    m_mask->setVisible(showsBlockMask(kernel));
    m_speed->setMetric(kernel.speedMetric);
}

void ChartArea::setMaskBelow(bool below)
{
    m_chartsAndMask->setDirection(below ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
}

int ChartArea::minimumWidthBeside() const
{
    const QWidget *charts = m_speed->parentWidget();
    int width = charts->minimumSizeHint().width();
    if (m_mask->isVisibleTo(this))
        width += m_chartsAndMask->spacing() + std::max(m_mask->minimumWidth(), m_mask->minimumSizeHint().width());
    return std::max(width, m_ceilingEntry->minimumSizeHint().width());
}

void ChartArea::showDevice(const QString &deviceName)
{
    m_ceilingEntry->showDevice(deviceName);
    const DeviceCeiling c = m_ceilingEntry->value();
    m_speed->setCeiling(c.tflops, c.gbps, ceilingSource(deviceName));
}

void ChartArea::setRuns(const QList<RunRecord> &runs)
{
    bool geometric = false;
    for (const RunRecord &r : runs) {
        QList<double> xs;
        for (const QString &v : r.setup.sweepValues)
            xs << v.toDouble();
        geometric = geometric || looksGeometric(xs);
    }
    // The ceiling the user sees in the entry, unless the plotted runs were measured on another
    // known GPU (an imported H100 run on a laptop): then that GPU's. Both give way on the
    // chart to a ceiling measured on the run's own GPU, when the run carries one.
    DeviceCeiling c = m_ceilingEntry->value();
    QString source = ceilingSource(m_ceilingEntry->deviceName());
    if (!runs.isEmpty() && runs.first().deviceName != m_ceilingEntry->deviceName() &&
        knownCeiling(runs.first().deviceName).tflops > 0) {
        c = ceilingFor(runs.first().deviceName);
        source = ceilingSource(runs.first().deviceName);
    }
    m_speed->setCeiling(c.tflops, c.gbps, source);
    m_speed->setLogX(geometric);
    m_accuracy->setLogX(geometric);
    m_speed->setRuns(runs);
    m_accuracy->setRuns(runs);
    // The newest plotted run's last mask (stored runs keep theirs in run_points).
    m_mask->clear();
    for (const RunRecord &r : runs)
        for (const RunPoint &p : r.points)
            m_mask->showPoint(p);
}

void ChartArea::addPoint(qint64 runId, const RunPoint &point)
{
    m_speed->addPoint(runId, point);
    m_accuracy->addPoint(runId, point);
    m_mask->showPoint(point);
}

void ChartArea::setOverlays(const QList<ChartOverlay> &overlays)
{
    m_speed->setOverlays(overlays);
    m_accuracy->setOverlays(overlays);
}

} // namespace paperlab::playground
