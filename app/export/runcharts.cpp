#include "runcharts.h"

#include "chartpalette.h"
#include "slidefonts.h"
#include "sqlitedb.h"

#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace paperlab {
namespace {

const QList<QColor> &kPalette = colourBlindPalette();

QString caption(const QString &kernel, const QString &device, const QString &paramsJson, const QString &sweep)
{
    QStringList parts{kernel};
    if (!device.isEmpty()) parts << device;
    const QJsonObject params = QJsonDocument::fromJson(paramsJson.toUtf8()).object();
    for (auto it = params.begin(); it != params.end(); ++it)
        if (it.key() != sweep && (it.value().isDouble() || it.value().isString() || it.value().isBool()))
            parts << QStringLiteral("%1=%2").arg(it.key(), it.value().toVariant().toString());
    return parts.join(QStringLiteral(" · "));
}

// 1, 2, 5 x 10^k steps giving about `count` ticks over [lo, hi].
QList<double> niceTicks(double lo, double hi, int count)
{
    if (!(hi > lo)) return {lo};
    const double raw = (hi - lo) / count;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    QList<double> ticks;
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks << t;
    return ticks;
}


} // namespace

QList<RunChart> pinnedRunCharts(Database &db, qint64 paperId)
{
    QList<RunChart> charts;
    Statement runs(db, "SELECT id, kernel, name, device, params, sweep_param FROM runs "
                       "WHERE paper_id = ? AND pinned <> 0 ORDER BY created_at, id");
    runs.bind(1, paperId);
    while (runs.step()) {
        RunChart c;
        const qint64 runId = runs.int64(0);
        const QString kernel = runs.text(1);
        c.title = runs.text(2).isEmpty() ? kernel : runs.text(2);
        c.xLabel = runs.text(5).isEmpty() ? QStringLiteral("x") : runs.text(5);
        c.caption = caption(kernel, runs.text(3), runs.text(4), runs.text(5));

        Statement points(db, "SELECT variant, x, metrics FROM run_points WHERE run_id = ? ORDER BY variant, x");
        points.bind(1, runId);
        QMap<QString, QList<QPair<double, QJsonObject>>> byVariant;
        while (points.step())
            byVariant[points.text(0)].append({points.real(1), QJsonDocument::fromJson(points.text(2).toUtf8()).object()});
        for (const auto &list : byVariant)
            for (const auto &pt : list) {
                if (pt.second.contains(QLatin1String("time_ms"))) c.yLabel = QStringLiteral("time_ms");
                else if (c.yLabel.isEmpty() && !pt.second.isEmpty()) c.yLabel = pt.second.keys().first();
            }
        for (auto it = byVariant.begin(); it != byVariant.end(); ++it) {
            RunSeries s{it.key(), {}};
            for (const auto &pt : it.value())
                if (pt.second.value(c.yLabel).isDouble()) s.points << QPointF(pt.first, pt.second.value(c.yLabel).toDouble());
            if (!s.points.isEmpty()) c.series << s;
        }
        if (!c.series.isEmpty()) charts << c;
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
            xmin = qMin(xmin, pt.x()); xmax = qMax(xmax, pt.x());
            ymin = qMin(ymin, pt.y()); ymax = qMax(ymax, pt.y());
        }
    if (!(xmax > xmin)) { xmin -= 1; xmax += 1; }
    if (!(ymax > ymin)) ymax = ymin + 1;
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
    if (logX) for (double t = std::exp2(std::ceil(std::log2(xmin))); t <= xmax * 1.0001; t *= 2) xTicks << t;
    else xTicks = niceTicks(xmin, xmax, 6);
    for (double t : xTicks) {
        const qreal x = map({t, ymin}).x();
        p.setPen(QPen(QColor(0x44, 0x44, 0x44), 1));
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 6));
        p.drawText(QRectF(x - 60, plot.bottom() + 8, 120, 30), Qt::AlignHCenter | Qt::AlignTop, QString::number(t, 'g', 6));
    }
    p.setPen(QPen(QColor(0x33, 0x33, 0x33), 2));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());

    // Axis labels.
    p.setFont(labelFont);
    p.drawText(QRectF(plot.left(), plot.bottom() + 44, plot.width(), 36), Qt::AlignHCenter, chart.xLabel + (logX ? QStringLiteral(" (log₂)") : QString()));
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
            if (k == 0) path.moveTo(map(pts[k]));
            else path.lineTo(map(pts[k]));
        }
        p.setPen(QPen(colour, 4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        p.setBrush(colour);
        for (const QPointF &pt : pts) p.drawEllipse(map(pt), 6, 6);

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
