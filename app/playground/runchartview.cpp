#include "runchartview.h"

#include "chartpalette.h"
#include "labelplacement.h"
#include "lastfolder.h"
#include "mathtext.h"
#include "safefile.h"
#include "seriescolours.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QSvgGenerator>
#include <QTemporaryDir>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <utility>

namespace paperlab::playground {

namespace {

struct MetricChoice {
    const char *id;
    const char *label;
    bool logY;
};

constexpr MetricChoice kSpeedMetrics[] = {
    {"tflops", "Throughput (TFLOP/s)", false},
    {"gbps", "Memory throughput (GB/s)", false},
    {"time_ms", "Median time (ms)", true},
};
constexpr MetricChoice kAccuracyMetrics[] = {
    {"rel_l2", "Relative L2 error vs float64", true},
    {"max_abs", "Max abs error vs float64", true},
    {"cosine", "Cosine similarity vs float64", false},
};

constexpr int kLegendColumns = 3;

const Qt::PenStyle kRunStyles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
const QCPScatterStyle::ScatterShape kRunShapes[] = {QCPScatterStyle::ssCircle, QCPScatterStyle::ssSquare,
                                                    QCPScatterStyle::ssTriangle, QCPScatterStyle::ssDiamond};

} // namespace

RunChartView::RunChartView(Kind kind, QWidget *parent)
    : QWidget(parent)
    , m_kind(kind)
    , m_metricBox(new QComboBox(this))
    , m_note(new QLabel(this))
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QHBoxLayout;
    auto *title = new QLabel(kind == Kind::Speed ? tr("<b>Speed</b>") : tr("<b>Accuracy</b>"), this);
    header->addWidget(title);
    header->addWidget(m_metricBox);
    header->addWidget(m_note, 1);
    layout->addLayout(header);
    layout->addWidget(m_plot, 1);
    m_note->setForegroundRole(QPalette::PlaceholderText); // a role, not a style sheet: it follows the theme
    m_note->setWordWrap(true);
    m_note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    if (kind == Kind::Speed)
        for (const MetricChoice &m : kSpeedMetrics)
            m_metricBox->addItem(tr(m.label), QString::fromLatin1(m.id));
    else
        for (const MetricChoice &m : kAccuracyMetrics)
            m_metricBox->addItem(tr(m.label), QString::fromLatin1(m.id));
    m_metricBox->setObjectName(kind == Kind::Speed ? QStringLiteral("speedMetric") : QStringLiteral("accuracyMetric"));
    connect(m_metricBox, &QComboBox::currentIndexChanged, this, &RunChartView::rebuild);

    m_plot->setObjectName(kind == Kind::Speed ? QStringLiteral("speedPlot") : QStringLiteral("accuracyPlot"));
    m_plot->setMinimumHeight(220);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // The legend below the plot, in columns: inside the axis rect it covered the points and,
    // with a few overlaid runs, ran past the plot's bottom and was clipped.
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), 8));
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    m_legendRow = new QCPLayoutGrid;
    m_legendRow->setMargins(QMargins(6, 0, 6, 4));
    m_legendRow->addElement(0, 0, m_plot->legend);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(kLegendColumns);
    applyPalette();
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &RunChartView::showContextMenu);
    connect(m_plot, &QCustomPlot::mouseMove, this, &RunChartView::showToolTip);
    // Pixel sizes are known only once the plot is laid out (and change with zoom or size).
    connect(m_plot, &QCustomPlot::afterLayout, this, &RunChartView::placeLabels);
    // A double click fits the data again after zooming and panning.
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { rebuild(); });
    rebuild();
}

RunChartView::~RunChartView()
{
    // Out of the plot's layout (no entries), the legend row and the legend in it are ours.
    if (!m_legendRow->layout())
        delete m_legendRow;
}

void RunChartView::applyPalette()
{
    const ChartColours c = screenChartColours(palette());
    m_plot->setBackground(c.background);
    for (QCPAxis *axis : m_plot->axisRect()->axes()) {
        axis->setBasePen(QPen(c.axis));
        axis->setTickPen(QPen(c.axis));
        axis->setSubTickPen(QPen(c.axis));
        axis->setTickLabelColor(c.text);
        axis->setLabelColor(c.text);
        axis->grid()->setPen(QPen(c.grid, 0, Qt::DotLine));
    }
    // The legend sits below the plot on its background: text colour only, no box.
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setTextColor(c.text);
    m_plot->legend->setBorderPen(Qt::NoPen);
}

void RunChartView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // The theme hook: View > Theme changes the palette, and the chart redraws in it.
    if (event->type() == QEvent::PaletteChange) {
        applyPalette();
        rebuild();
    }
}

void RunChartView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitLegend();
}

void RunChartView::fitLegend()
{
    // Three columns hold short names side by side; FlashAttention's seven variants in a chart
    // beside the form were cut to "FlashAtten", "PyTorch SD": fewer columns, whole names. But
    // the plot comes first: in a chart a few hundred pixels high, one name a row pushed the
    // axes into a strip, so the legend takes at most a third of the height, and the names
    // are cut only as much as that needs.
    QCPLegend *legend = m_plot->legend;
    int widest = 0, tallest = 0, entries = 0;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (const QCPAbstractLegendItem *item = legend->item(i)) { // null: an empty cell of the grid
            widest = std::max(widest, item->minimumOuterSizeHint().width());
            tallest = std::max(tallest, item->minimumOuterSizeHint().height());
            ++entries;
        }
    const QMargins around = m_legendRow->margins() + legend->margins();
    const int room = m_plot->width() - around.left() - around.right();
    int columns = widest > 0 ? (room + legend->columnSpacing()) / (widest + legend->columnSpacing()) : kLegendColumns;
    if (entries > 0 && tallest > 0) {
        const int heightRoom = m_plot->height() / 3 - around.top() - around.bottom();
        const int rows = std::max(1, (heightRoom + legend->rowSpacing()) / (tallest + legend->rowSpacing()));
        columns = std::max(columns, (entries + rows - 1) / rows);
    }
    columns = std::clamp(columns, 1, kLegendColumns);
    if (columns != legend->wrap()) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // the entries into the new columns
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void RunChartView::setKernel(const KernelInfo &kernel)
{
    m_kernel = kernel;
    rebuild();
}

void RunChartView::setRuns(const QList<RunRecord> &runs)
{
    m_runs = runs;
    rebuild();
}

void RunChartView::addPoint(qint64 runId, const RunPoint &point)
{
    for (RunRecord &r : m_runs)
        if (r.id == runId) {
            r.points << point;
            rebuild();
            return;
        }
}

void RunChartView::setLogX(bool log)
{
    m_logX = log;
    rebuild();
}

void RunChartView::setCeiling(double tflops, double gbps, const QString &source)
{
    m_ceilingTflops = tflops;
    m_ceilingGbps = gbps;
    m_ceilingSource = source.isEmpty() ? tr("datasheet") : source;
    rebuild();
}

void RunChartView::setOverlays(const QList<ChartOverlay> &overlays)
{
    m_overlays = overlays;
    rebuild();
}

int RunChartView::overlayCount() const
{
    return m_overlaysDrawn;
}

double RunChartView::drawOverlays()
{
    m_overlaysDrawn = 0;
    double yMax = 0;
    const QColor colour = screenChartColours(palette()).axis;
    for (const ChartOverlay &o : std::as_const(m_overlays)) {
        if (o.metric != metricId() || !std::isfinite(o.y))
            continue;
        auto *text = new QCPItemText(m_plot);
        text->setText(o.label);
        text->setColor(colour);
        if (std::isnan(o.x)) {
            auto *line = new QCPItemStraightLine(m_plot);
            line->point1->setCoords(1, o.y);
            line->point2->setCoords(2, o.y);
            line->setPen(QPen(colour, 1.5, Qt::DotLine));
            text->position->setType(QCPItemPosition::ptAxisRectRatio);
            text->position->setTypeY(QCPItemPosition::ptPlotCoords);
            text->position->setCoords(0.01, o.y);
            text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        } else {
            auto *marker = new QCPItemTracer(m_plot);
            marker->position->setCoords(o.x, o.y);
            marker->setStyle(QCPItemTracer::tsSquare);
            marker->setSize(9);
            marker->setPen(QPen(colour, 1.5));
            // To the marker's left, level with it: a claim's label (two lines, both numbers)
            // stays inside the plot even when the claim is the highest thing on it.
            text->position->setCoords(o.x, o.y);
            text->setPositionAlignment(Qt::AlignRight | Qt::AlignVCenter);
            text->setTextAlignment(Qt::AlignRight);
            text->setPadding(QMargins(0, 0, 10, 0));
            text->setClipToAxisRect(false); // over the axis labels rather than cut off
        }
        m_labels.append({text, o.y});
        yMax = std::max(yMax, o.y);
        ++m_overlaysDrawn;
    }
    return yMax;
}

namespace {

QRectF labelRect(const QCPItemText *text)
{
    return QRectF(text->topLeft->pixelPosition(), text->bottomRight->pixelPosition()).normalized();
}

} // namespace

void RunChartView::placeLabels()
{
    if (m_hint) // a narrow chart cut the hint's line at both ends
        m_hint->setText(wrapToWidth(m_emptyHint, m_hint->font(), m_plot->axisRect()->width() - 12));
    QList<QRectF> rects;
    for (const Label &l : std::as_const(m_labels)) {
        l.item->position->setCoords(l.item->position->coords().x(), l.y); // back on its figure
        rects << labelRect(l.item);
    }
    const QList<double> offsets = separateLabels(rects, m_plot->axisRect()->rect());
    for (int i = 0; i < m_labels.size(); ++i) {
        if (offsets[i] == 0)
            continue;
        const Label &l = m_labels[i];
        const double y = m_plot->yAxis->pixelToCoord(m_plot->yAxis->coordToPixel(l.y) + offsets[i]);
        l.item->position->setCoords(l.item->position->coords().x(), y);
    }
}

QList<QRectF> RunChartView::labelRects() const
{
    QList<QRectF> out;
    for (const Label &l : m_labels)
        out << labelRect(l.item);
    return out;
}

QString RunChartView::metricId() const
{
    return m_metricBox->currentData().toString();
}

void RunChartView::setMetric(const QString &metricId)
{
    const int i = m_metricBox->findData(metricId);
    if (i >= 0)
        m_metricBox->setCurrentIndex(i);
}

QString RunChartView::variantName(const QString &id) const
{
    const VariantInfo *v = m_kernel.variant(id);
    return v ? mathAsUnicode(v->displayName) : id;
}

ChartCeiling RunChartView::currentCeiling() const
{
    const QString id = metricId();
    const double fallback = id == QLatin1String("tflops") ? m_ceilingTflops
                            : id == QLatin1String("gbps") ? m_ceilingGbps
                                                          : 0;
    return chartCeiling(id, m_runs, fallback, m_ceilingSource);
}

double RunChartView::ceiling() const
{
    return currentCeiling().value;
}

QString RunChartView::ceilingLabel() const
{
    return currentCeiling().label;
}

int RunChartView::errorBarCount() const
{
    int n = 0;
    for (int i = 0; i < m_plot->plottableCount(); ++i)
        if (auto *bars = qobject_cast<QCPErrorBars *>(m_plot->plottable(i)))
            n += bars->dataCount();
    return n;
}

int RunChartView::pointCount() const
{
    int n = 0;
    for (int i = 0; i < m_plot->graphCount(); ++i)
        n += m_plot->graph(i)->dataCount();
    return n;
}

QString RunChartView::emptyHint() const
{
    return m_emptyHint;
}

int RunChartView::seriesCount() const
{
    return m_plot->graphCount();
}

void RunChartView::rebuild()
{
    const QString metricId = this->metricId();
    bool logY = false;
    QString label;
    for (const MetricChoice &m : (m_kind == Kind::Speed ? std::span(kSpeedMetrics) : std::span(kAccuracyMetrics)))
        if (metricId == QLatin1String(m.id)) {
            logY = m.logY;
            label = tr(m.label);
        }
    m_plot->clearPlottables(); // graphs and their error bars
    m_plot->clearItems();
    m_labels.clear();
    m_hint = nullptr;
    m_graphPoints.clear();

    QStringList variantOrder;
    for (const VariantInfo &v : m_kernel.variants)
        variantOrder << v.id;
    int skipped = 0;
    double yMin = std::numeric_limits<double>::max(), yMax = 0;
    for (int r = 0; r < m_runs.size(); ++r) {
        const RunRecord &run = m_runs[r];
        QStringList variants;
        for (const RunPoint &p : run.points)
            if (!variants.contains(p.variant))
                variants << p.variant;
        for (const QString &variant : variants) {
            if (!variantOrder.contains(variant))
                variantOrder << variant;
            QCPGraph *g = m_plot->addGraph();
            QString name = variantName(variant);
            if (m_runs.size() > 1)
                name += QStringLiteral(" — ") + run.name;
            g->setName(name);
            g->setProperty("runIndex", r);
            // Colour per variant (stable across runs), dash style per run, so overlays stay readable.
            const QColor color = seriesColour(variant, variantOrder, screenChartColours(palette()).background);
            QPen pen(color, 2, kRunStyles[r % std::size(kRunStyles)]);
            g->setPen(pen);
            g->setScatterStyle(QCPScatterStyle(kRunShapes[r % std::size(kRunShapes)], color, color.lighter(150), 7));
            QList<int> drawn;
            for (int i = 0; i < run.points.size(); ++i) {
                const RunPoint &p = run.points[i];
                if (p.variant != variant || !p.error.isEmpty() || !p.metrics.contains(metricId))
                    continue;
                const double y = p.metrics.value(metricId);
                if ((logY && y <= 0) || (m_logX && p.x <= 0) || !std::isfinite(y)) {
                    ++skipped; // a zero error cannot sit on a log axis
                    continue;
                }
                drawn << i;
            }
            // In x order, so the graph's data and its error bars (matched by index) agree.
            std::stable_sort(drawn.begin(), drawn.end(),
                             [&run](int a, int b) { return run.points[a].x < run.points[b].x; });
            QVector<double> xs, ys, below, above;
            bool spread = false;
            for (int i : std::as_const(drawn)) {
                const RunPoint &p = run.points[i];
                const double y = p.metrics.value(metricId);
                const double lo = p.metrics.value(metricId + QStringLiteral("_p10"), y);
                const double hi = p.metrics.value(metricId + QStringLiteral("_p90"), y);
                spread = spread || p.metrics.contains(metricId + QStringLiteral("_p10"));
                xs << p.x;
                ys << y;
                below << std::max(0.0, y - lo);
                above << std::max(0.0, hi - y);
                yMin = std::min(yMin, logY && lo <= 0 ? y : lo);
                yMax = std::max(yMax, hi);
            }
            g->setData(xs, ys, true);
            m_graphPoints << drawn;
            if (spread) {
                // The median is the marker; the bar spans the 10th to the 90th percentile.
                auto *bars = new QCPErrorBars(m_plot->xAxis, m_plot->yAxis);
                bars->removeFromLegend();
                bars->setDataPlottable(g);
                bars->setData(below, above);
                bars->setPen(QPen(color, 1));
                bars->setWhiskerWidth(6);
            }
        }
    }

    m_plot->yAxis->setLabel(label);
    QString xLabel;
    for (const RunRecord &run : m_runs)
        if (!run.setup.sweepParam.isEmpty()) {
            const ParamInfo *p = m_kernel.param(run.setup.sweepParam);
            xLabel =
                run.setup.sweepParam + (p && !p->unit.isEmpty() ? QStringLiteral(" (%1)").arg(p->unit) : QString());
            break;
        }
    m_plot->xAxis->setLabel(xLabel);
    m_plot->xAxis->setScaleType(m_logX ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    m_plot->yAxis->setScaleType(logY ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (m_logX) {
        auto ticker = QSharedPointer<QCPAxisTickerLog>::create();
        ticker->setLogBase(2);
        m_plot->xAxis->setTicker(ticker);
        m_plot->xAxis->setNumberFormat(QStringLiteral("gb"));
    } else {
        m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        m_plot->xAxis->setNumberFormat(QStringLiteral("g"));
    }
    if (logY) {
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        m_plot->yAxis->setNumberFormat(QStringLiteral("eb"));
        m_plot->yAxis->setNumberPrecision(1);
    } else {
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        m_plot->yAxis->setNumberFormat(QStringLiteral("g"));
        m_plot->yAxis->setNumberPrecision(4);
    }

    m_plot->rescaleAxes();
    const bool empty = pointCount() == 0;
    if (empty) {
        // Nothing measured yet: the axis spans the values about to be swept rather than
        // QCustomPlot's default range (which, on a log axis, read 0.0039…4); with no sweep
        // known, an axis without numbers.
        double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
        for (const RunRecord &run : m_runs)
            for (const QString &v : run.setup.sweepValues) {
                bool ok = false;
                const double x = v.toDouble(&ok);
                if (ok && (!m_logX || x > 0)) {
                    lo = std::min(lo, x);
                    hi = std::max(hi, x);
                }
            }
        if (lo <= hi)
            m_plot->xAxis->setRange(
                m_logX ? QCPRange(lo / 1.25, hi * 1.25)
                       : QCPRange(lo - std::max(0.5, (hi - lo) * 0.04), hi + std::max(0.5, (hi - lo) * 0.04)));
        m_plot->xAxis->setTickLabels(lo <= hi);
        m_plot->yAxis->setTickLabels(false);
        // A first visit showed two blank grids and no word of what fills them; the Run button
        // sits below the form, out of sight.
        m_emptyHint = m_runs.isEmpty() ? tr("No run shown yet: press Run below the form, or tick a stored run.")
                                       : tr("Waiting for the first point…");
        m_hint = new QCPItemText(m_plot);
        m_hint->position->setType(QCPItemPosition::ptAxisRectRatio);
        m_hint->position->setCoords(0.5, 0.5);
        m_hint->setText(m_emptyHint);
        m_hint->setColor(palette().color(QPalette::PlaceholderText));
    } else {
        m_emptyHint.clear();
        m_plot->xAxis->setTickLabels(true);
        m_plot->yAxis->setTickLabels(true);
    }
    // The device ceiling: dashed, labelled, and in range so the gap to it is visible.
    const ChartCeiling roof = currentCeiling();
    const double ceiling = roof.value;
    if (ceiling > 0 && m_plot->graphCount() > 0) {
        auto *line = new QCPItemStraightLine(m_plot);
        line->point1->setCoords(1, ceiling);
        line->point2->setCoords(2, ceiling);
        line->setPen(QPen(screenChartColours(palette()).axis, 1.5, Qt::DashLine));
        auto *text = new QCPItemText(m_plot);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setTypeY(QCPItemPosition::ptPlotCoords);
        text->position->setCoords(0.99, ceiling);
        text->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        text->setText(roof.label);
        text->setColor(screenChartColours(palette()).axis);
        m_labels.append({text, ceiling});
        yMax = std::max(yMax, ceiling);
    }
    yMax = std::max(yMax, drawOverlays());
    if (m_plot->graphCount() > 0 && yMax > 0) {
        if (logY)
            m_plot->yAxis->setRange(yMin / 2, yMax * 2);
        else
            m_plot->yAxis->setRange(std::min(0.0, yMin), yMax * (m_overlaysDrawn > 0 ? 1.15 : 1.08));
        const QCPRange x = m_plot->xAxis->range();
        if (m_logX)
            m_plot->xAxis->setRange(x.lower / 1.25, x.upper * 1.25);
        else
            m_plot->xAxis->setRange(x.lower - x.size() * 0.04 - 0.5, x.upper + x.size() * 0.04 + 0.5);
    }
    // An empty legend row would still take the plot's width: in the layout only with entries.
    const bool legend = m_plot->graphCount() > 0;
    if (legend && !m_legendRow->layout()) {
        m_plot->plotLayout()->addElement(1, 0, m_legendRow);
        m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    } else if (!legend && m_legendRow->layout()) {
        m_plot->plotLayout()->take(m_legendRow);
        m_plot->plotLayout()->simplify();
    }
    m_plot->legend->setVisible(legend);
    fitLegend();
    m_note->setText(skipped ? tr("%n point(s) at zero not drawn on the log axis", nullptr, skipped) : QString());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void RunChartView::showToolTip(QMouseEvent *event)
{
    const QPointF pos = event->position();
    double best = 12; // pixels
    QString text;
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        QCPGraph *g = m_plot->graph(i);
        for (int k = 0; k < g->dataCount(); ++k) {
            const auto it = g->data()->at(k);
            const QPointF px = g->coordsToPixels(it->key, it->value);
            const double d = std::hypot(px.x() - pos.x(), px.y() - pos.y());
            if (d >= best)
                continue;
            best = d;
            text = pointToolTip(i, k);
        }
    }
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

QString RunChartView::pointToolTip(int graph, int index) const
{
    if (graph < 0 || graph >= m_plot->graphCount() || index < 0 || index >= m_plot->graph(graph)->dataCount())
        return {};
    QCPGraph *g = m_plot->graph(graph);
    const auto it = g->data()->at(index);
    const RunRecord &run = m_runs.value(g->property("runIndex").toInt());
    const RunPoint &point = run.points.value(m_graphPoints.value(graph).value(index));
    const QString metricId = this->metricId();
    QStringList params;
    for (auto p = run.setup.fixed.cbegin(); p != run.setup.fixed.cend(); ++p)
        params << p.key() + QLatin1Char('=') + p.value();
    QString value = QString::number(it->value, 'g', 6);
    const QString p10 = metricId + QStringLiteral("_p10"), p90 = metricId + QStringLiteral("_p90");
    if (point.metrics.contains(p10) && point.metrics.contains(p90))
        value +=
            tr(" (p10–p90 %1–%2)").arg(point.metrics.value(p10), 0, 'g', 4).arg(point.metrics.value(p90), 0, 'g', 4);
    // "% of peak" against this run's own measured roof; else the one the chart draws.
    ChartCeiling roof = measuredCeiling(metricId, run);
    if (!roof.measured)
        roof = currentCeiling();
    QString peak;
    if (roof.value > 0)
        peak = QStringLiteral("<br>") + (roof.measured ? tr("%1% of measured peak (%2)") : tr("%1% of peak (%2)"))
                                            .arg(100.0 * it->value / roof.value, 0, 'f', 0)
                                            .arg(roof.label.toHtmlEscaped());
    return QStringLiteral("<b>%1</b><br>%2 = %3<br>%4 = %5%6<br><small>%7 · %8<br>%9</small>")
        .arg(g->name().toHtmlEscaped(), run.setup.sweepParam.isEmpty() ? QStringLiteral("x") : run.setup.sweepParam)
        .arg(it->key, 0, 'g', 10)
        .arg(m_metricBox->currentText().toHtmlEscaped(), value, peak)
        .arg(run.deviceName.toHtmlEscaped(), run.name.toHtmlEscaped(),
             params.join(QStringLiteral(", ")).toHtmlEscaped());
}

bool RunChartView::exportTo(const QString &path, QString *error, QSize size)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int w = size.isEmpty() ? m_plot->width() : size.width();
    const int h = size.isEmpty() ? m_plot->height() : size.height();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf") && suffix != QLatin1String("svg")) {
        if (error)
            *error = tr("unknown image type \"%1\" (use .png, .svg or .pdf)").arg(suffix);
        return false;
    }
    // QCustomPlot writes straight to a file and reports nothing when the disk fills up: it
    // draws into a private temporary file, and the checked writer puts the bytes in place.
    QTemporaryDir scratch;
    const QString drawn = scratch.filePath(QStringLiteral("chart.") + suffix);
    bool ok = scratch.isValid();
    if (ok && suffix == QLatin1String("png")) {
        ok = m_plot->savePng(drawn, w, h, 2.0);
    } else if (ok && suffix == QLatin1String("pdf")) {
        ok = m_plot->savePdf(drawn, w, h);
    } else if (ok) {
        QSvgGenerator svg;
        svg.setFileName(drawn);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setTitle(m_kind == Kind::Speed ? QStringLiteral("Speed") : QStringLiteral("Accuracy"));
        QCPPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            m_plot->toPainter(&painter, w, h);
            ok = painter.end();
        }
    }
    QFile in(drawn);
    if (!ok || !in.open(QIODevice::ReadOnly) || in.size() == 0) {
        if (error)
            *error = tr("could not draw the chart for %1").arg(path);
        return false;
    }
    return writeFileAtomically(path, in.readAll(), error);
}

void RunChartView::showContextMenu(const QPoint &pos)
{
    QMenu menu(this);
    for (const QString &type : {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")}) {
        menu.addAction(tr("Export chart as %1…").arg(type.toUpper()), this, [this, type] {
            const QString name =
                (m_kind == Kind::Speed ? QStringLiteral("speed.") : QStringLiteral("accuracy.")) + type;
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Export chart"), QDir(lastFolder(u"export")).filePath(name), QStringLiteral("*.%1").arg(type));
            if (path.isEmpty())
                return;
            rememberFolder(u"export", QFileInfo(path).absolutePath());
            QString error;
            if (!exportTo(path, &error))
                m_note->setText(error);
        });
    }
    menu.addAction(tr("Export run data as CSV…"), this, &RunChartView::exportCsvRequested);
    menu.addSeparator();
    menu.addAction(tr("Reset zoom"), this, &RunChartView::rebuild);
    menu.exec(m_plot->mapToGlobal(pos));
}

} // namespace paperlab::playground
