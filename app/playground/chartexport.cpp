#include "chartexport.h"

#include "chartpalette.h"
#include "kernelinfo.h"
#include "mathtext.h"
#include "runchartview.h"
#include "runstore.h"

#include <QDir>
#include <qcustomplot.h>

namespace paperlab::playground {

namespace {

// Slide theme on a chart built by RunChartView: readable fonts, palette colours (graphs that
// shared a colour, one variant across runs, still share one), a title inside the plot so
// the exported file stands alone.
void applySlideTheme(QCustomPlot *plot, const QString &title)
{
    const QFont tick(QStringLiteral("DejaVu Sans"), 13);
    QFont label = tick;
    label.setPointSize(15);
    for (QCPAxis *axis : plot->axisRect()->axes()) {
        axis->setTickLabelFont(tick);
        axis->setLabelFont(label);
        axis->setBasePen(QPen(Qt::black, 1.5));
        axis->setTickPen(QPen(Qt::black, 1.5));
        axis->grid()->setPen(QPen(QColor(0xDD, 0xDD, 0xDD), 1, Qt::SolidLine));
    }
    plot->legend->setFont(tick);
    plot->setBackground(Qt::white);

    const QList<QColor> &palette = colourBlindPalette();
    QList<QRgb> seen;
    for (int i = 0; i < plot->graphCount(); ++i) {
        QCPGraph *g = plot->graph(i);
        const QRgb was = g->pen().color().rgb();
        if (!seen.contains(was))
            seen << was;
        const QColor c = palette.at(int(seen.indexOf(was)) % palette.size());
        QPen pen = g->pen();
        pen.setColor(c);
        pen.setWidthF(2.5);
        g->setPen(pen);
        QCPScatterStyle s = g->scatterStyle();
        s.setPen(QPen(c, 1.5));
        s.setBrush(c);
        s.setSize(9);
        g->setScatterStyle(s);
    }

    if (plot->plotLayout()->rowCount() == 1) {
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(
            0, 0, new QCPTextElement(plot, title, QFont(QStringLiteral("DejaVu Sans"), 17, QFont::Bold)));
    }
    plot->replot();
}

QString fileSafe(QString s)
{
    for (QChar &c : s)
        if (!c.isLetterOrNumber() && c != QLatin1Char('_') && c != QLatin1Char('-'))
            c = QLatin1Char('_');
    return s;
}

} // namespace

ChartExportResult exportAllCharts(RunStore &store, qint64 paperId, const QString &folder, QSize chartSize)
{
    ChartExportResult out;
    if (!QDir().mkpath(folder)) {
        out.error = QObject::tr("could not create %1").arg(folder);
        return out;
    }
    const QDir dir(folder);
    for (const RunRecord &listed : store.runsForPaper(paperId)) {
        const std::optional<RunRecord> run = store.load(listed.id);
        if (!run || run->points.isEmpty())
            continue;
        const KernelInfo *kernel = findLocalKernel(run->setup.kernel);
        for (RunChartView::Kind kind : {RunChartView::Kind::Speed, RunChartView::Kind::Accuracy}) {
            const bool speed = kind == RunChartView::Kind::Speed;
            // A chart of its own, never shown: the exported theme leaves the playground's alone.
            RunChartView chart(kind);
            if (kernel)
                chart.setKernel(*kernel);
            chart.setRuns({*run});
            chart.plot()->resize(chartSize);
            applySlideTheme(chart.plot(), QStringLiteral("%1 — %2 (%3)")
                                              .arg(kernel ? mathAsUnicode(kernel->displayName) : run->setup.kernel,
                                                   run->name, speed ? QObject::tr("speed") : QObject::tr("accuracy")));
            const QString base = QStringLiteral("%1-%2-%3")
                                     .arg(fileSafe(run->setup.kernel))
                                     .arg(run->id)
                                     .arg(speed ? QStringLiteral("speed") : QStringLiteral("accuracy"));
            for (const char *suffix : {".png", ".svg", ".pdf"}) {
                const QString path = dir.filePath(base + QLatin1String(suffix));
                QString error;
                if (!chart.exportTo(path, &error, chartSize)) {
                    out.error = error;
                    return out;
                }
                out.files << path;
            }
        }
    }
    return out;
}

} // namespace paperlab::playground
