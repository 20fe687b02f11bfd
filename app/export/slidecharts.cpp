#include "slidecharts.h"

#include "chartpalette.h"
#include "runstore.h"
#include "slidefonts.h"

#include <QImage>
#include <QMap>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace paperlab {
namespace {

const QList<QColor> &kPalette = colourBlindPalette();

QString caption(const RunRecord &run)
{
    QStringList parts{run.setup.kernel};
    const QString device = run.deviceName.isEmpty() ? run.setup.device : run.deviceName;
    if (!device.isEmpty())
        parts << device;
    for (auto it = run.setup.fixed.cbegin(); it != run.setup.fixed.cend(); ++it)
        if (it.key() != run.setup.sweepParam)
            parts << QStringLiteral("%1=%2").arg(it.key(), it.value());
    return parts.join(QStringLiteral(" · "));
}

// 1, 2, 5 x 10^k steps giving about `count` ticks over [lo, hi].
QList<double> niceTicks(double lo, double hi, int count)
{
    if (!(hi > lo))
        return {lo};
    const double raw = (hi - lo) / count;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    QList<double> ticks;
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
        ticks << t;
    return ticks;
}

} // namespace

RunChart runChart(const RunRecord &run)
{
    RunChart c;
    c.title = run.name.isEmpty() ? run.setup.kernel : run.name;
    c.xLabel = run.setup.sweepParam.isEmpty() ? QStringLiteral("x") : run.setup.sweepParam;
    c.caption = caption(run);
    for (const RunPoint &pt : run.points) {
        if (pt.metrics.contains(QLatin1String("time_ms")))
            c.yLabel = QStringLiteral("time_ms");
        else if (c.yLabel.isEmpty() && !pt.metrics.isEmpty())
            c.yLabel = pt.metrics.firstKey();
    }
    QMap<QString, QList<QPointF>> byVariant;
    for (const RunPoint &pt : run.points)
        if (pt.metrics.contains(c.yLabel))
            byVariant[pt.variant] << QPointF(pt.x, pt.metrics.value(c.yLabel));
    for (auto it = byVariant.begin(); it != byVariant.end(); ++it) {
        std::sort(it->begin(), it->end(), [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); });
        c.series << RunSeries{it.key(), *it};
    }
    return c;
}

QList<RunChart> pinnedRunCharts(RunStore &runs, qint64 paperId)
{
    QList<RunChart> charts;
    for (const RunRecord &run : runs.pinnedRuns(paperId)) {
        RunChart c = runChart(run);
        if (!c.series.isEmpty())
            charts << c;
    }
    return charts;
}

void paintRunChart(QPainter &p, const QRectF &rect, const RunChart &chart)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    const QFont tickFont = slideFont(22);
    const QFont labelFont = slideFont(24, true);
    const QFontMetricsF tm(tickFont);

    double xmin = 1e300, xmax = -1e300, ymin = 0, ymax = -1e300;
    for (const RunSeries &s : chart.series)
        for (const QPointF &pt : s.points) {
            xmin = qMin(xmin, pt.x());
            xmax = qMax(xmax, pt.x());
            ymin = qMin(ymin, pt.y());
            ymax = qMax(ymax, pt.y());
        }
    if (!(xmax > xmin)) {
        xmin -= 1;
        xmax += 1;
    }
    if (!(ymax > ymin))
        ymax = ymin + 1;
    // Sweeps over sizes (512 ... 16384) read better on a log2 axis.
    const bool logX = xmin > 0 && xmax / xmin >= 16;
    auto xv = [logX](double x) { return logX ? std::log2(x) : x; };
    const QList<double> yTicks = niceTicks(ymin, ymax * 1.05, 5);
    ymax = qMax(ymax, yTicks.last());

    const qreal legendW = 260;
    const QRectF plot(rect.left() + 110, rect.top() + 20, rect.width() - 110 - legendW - 30, rect.height() - 20 - 100);
    auto map = [&](QPointF v) {
        const double fx = (xv(v.x()) - xv(xmin)) / (xv(xmax) - xv(xmin));
        const double fy = (v.y() - ymin) / (ymax - ymin);
        return QPointF(plot.left() + fx * plot.width(), plot.bottom() - fy * plot.height());
    };

    // Grid and ticks.
    p.setFont(tickFont);
    for (double t : yTicks) {
        const qreal y = map({xmin, t}).y();
        p.setPen(QPen(QColor(0xDD, 0xDD, 0xDD), 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(QColor(0x44, 0x44, 0x44));
        p.drawText(QRectF(rect.left(), y - 15, 100, 30), Qt::AlignRight | Qt::AlignVCenter, QString::number(t, 'g', 4));
    }
    QList<double> xTicks;
    if (logX)
        for (double t = std::exp2(std::ceil(std::log2(xmin))); t <= xmax * 1.0001; t *= 2)
            xTicks << t;
    else
        xTicks = niceTicks(xmin, xmax, 6);
    for (double t : xTicks) {
        const qreal x = map({t, ymin}).x();
        p.setPen(QPen(QColor(0x44, 0x44, 0x44), 1));
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 6));
        p.drawText(QRectF(x - 60, plot.bottom() + 8, 120, 30), Qt::AlignHCenter | Qt::AlignTop,
                   QString::number(t, 'g', 6));
    }
    p.setPen(QPen(QColor(0x33, 0x33, 0x33), 2));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());

    // Axis labels.
    p.setFont(labelFont);
    p.drawText(QRectF(plot.left(), plot.bottom() + 44, plot.width(), 36), Qt::AlignHCenter,
               chart.xLabel + (logX ? QStringLiteral(" (log₂)") : QString()));
    p.save();
    p.translate(rect.left() + 18, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -18, plot.height(), 36), Qt::AlignCenter, chart.yLabel);
    p.restore();

    // Series: lines with markers, and the legend.
    for (int i = 0; i < chart.series.size(); ++i) {
        const QColor colour = kPalette[i % kPalette.size()];
        QPainterPath path;
        const auto &pts = chart.series[i].points;
        for (int k = 0; k < pts.size(); ++k) {
            if (k == 0)
                path.moveTo(map(pts[k]));
            else
                path.lineTo(map(pts[k]));
        }
        p.setPen(QPen(colour, 4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        p.setBrush(colour);
        for (const QPointF &pt : pts)
            p.drawEllipse(map(pt), 6, 6);

        const QRectF entry(plot.right() + 30, plot.top() + i * 40, legendW, 36);
        p.setPen(QPen(colour, 4));
        p.drawLine(QPointF(entry.left(), entry.center().y()), QPointF(entry.left() + 36, entry.center().y()));
        p.setPen(QColor(0x22, 0x22, 0x22));
        p.setFont(tickFont);
        p.drawText(entry.adjusted(46, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   tm.elidedText(chart.series[i].variant, Qt::ElideRight, legendW - 46));
    }
    p.restore();
}

QImage runChartImage(const RunChart &chart, const QSizeF &size, qreal scale)
{
    QImage img((size * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::white);
    QPainter p(&img);
    p.scale(scale, scale);
    paintRunChart(p, QRectF(QPointF(0, 0), size), chart);
    return img;
}

} // namespace paperlab
