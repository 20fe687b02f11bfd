// What a reader of the speed chart must be able to tell apart: a paper's claim drawn at the
// device's ceiling does not print its label over the ceiling's label, and up to a dozen
// variants get as many colours (baselines keeping theirs), on a light chart and a dark one,
// and the legend shows each variant's whole name even in a chart beside the form.
#include "labelplacement.h"
#include "runchartview.h"

#include <QTest>
#include <qcustomplot.h>

#include <cmath>

using namespace paperlab;
using namespace paperlab::playground;

namespace {

// One run over five sequence lengths, one point per variant and length.
RunRecord speedRun(const QStringList &variants, double tflops)
{
    RunRecord r;
    r.id = 1;
    r.name = QStringLiteral("sweep");
    r.deviceName = QStringLiteral("NVIDIA H200");
    r.setup.kernel = QStringLiteral("flash_attention");
    r.setup.sweepParam = QStringLiteral("seq_len");
    int index = 0;
    for (int i = 0; i < 5; ++i)
        for (int v = 0; v < variants.size(); ++v) {
            RunPoint p;
            p.index = index++;
            p.variant = variants[v];
            p.x = 1024 << i;
            p.sweepValue = QString::number(p.x);
            p.metrics = {{QStringLiteral("tflops"), tflops * (1 + 0.05 * v)}, {QStringLiteral("time_ms"), 2}};
            r.points << p;
        }
    return r;
}

KernelInfo kernelWith(const QStringList &variants)
{
    KernelInfo k;
    k.id = QStringLiteral("flash_attention");
    k.displayName = QStringLiteral("FlashAttention forward");
    for (const QString &v : variants)
        k.variants << VariantInfo{v, v, true, {}, {}, {}};
    k.metrics = {{QStringLiteral("tflops"), QStringLiteral("Throughput"), QStringLiteral("TFLOP/s")}};
    k.speedMetric = QStringLiteral("tflops");
    return k;
}

// FlashAttention's variants (all of them, names as long as they come) in a shown speed chart
// of the given size; false when the kernel is missing or the window never shows.
bool showFlashAttentionRun(RunChartView &chart, int width, int height, QStringList &variants)
{
    const KernelInfo *fa = findLocalKernel(QStringLiteral("flash_attention"));
    if (!fa)
        return false;
    for (const VariantInfo &v : fa->variants)
        variants << v.id;
    chart.resize(width, height);
    chart.show();
    if (!QTest::qWaitForWindowExposed(&chart))
        return false;
    chart.setKernel(*fa);
    chart.setMetric(QStringLiteral("tflops"));
    chart.setRuns({speedRun(variants, 300)});
    chart.plot()->replot();
    return true;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    return p;
}

double distance(const QColor &a, const QColor &b)
{
    return std::hypot(a.red() - b.red(), a.green() - b.green(), a.blue() - b.blue());
}

} // namespace

class TestChartLegibility : public QObject {
    Q_OBJECT

private slots:
    // The claim exactly at the ceiling: as a line (a throughput claim) and as a marker (a
    // speedup claim) at the right edge, where the ceiling's label is, or in the middle; on
    // a chart as narrow as beside the form and on a wide one.
    void claimAtTheCeilingKeepsLabelsApart_data()
    {
        QTest::addColumn<double>("x"); // NaN: a line
        QTest::addColumn<int>("width");
        QTest::newRow("line, narrow") << std::nan("") << 420;
        QTest::newRow("line, wide") << std::nan("") << 900;
        QTest::newRow("marker at the right edge, narrow") << 16384.0 << 420;
        QTest::newRow("marker at the right edge, wide") << 16384.0 << 900;
        QTest::newRow("marker in the middle, narrow") << 4096.0 << 420;
    }

    void claimAtTheCeilingKeepsLabelsApart()
    {
        QFETCH(double, x);
        QFETCH(int, width);
        RunChartView chart(RunChartView::Kind::Speed);
        chart.resize(width, 380);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const QStringList variants{QStringLiteral("flash"), QStringLiteral("flash_tma")};
        chart.setKernel(kernelWith(variants));
        chart.setMetric(QStringLiteral("tflops"));
        chart.setRuns({speedRun(variants, 600)});
        chart.setCeiling(743, 0, QStringLiteral("measured on NVIDIA H200"));
        chart.setOverlays({{QStringLiteral("tflops"), chart.ceiling(), x,
                            QStringLiteral("FlashAttention-3 claims 740 TFLOP/s on H100\nmeasured 743 TFLOP/s on "
                                           "NVIDIA H200\n(seq_len 16384): reproduced")}});
        chart.plot()->replot();
        const QList<QRectF> rects = chart.labelRects();
        QCOMPARE(rects.size(), 2); // the ceiling's, the claim's
        QVERIFY2(!rects[0].intersects(rects[1]),
                 qPrintable(QStringLiteral("ceiling label %1,%2 %3x%4 overlaps the claim's %5,%6 %7x%8")
                                .arg(rects[0].x())
                                .arg(rects[0].y())
                                .arg(rects[0].width())
                                .arg(rects[0].height())
                                .arg(rects[1].x())
                                .arg(rects[1].y())
                                .arg(rects[1].width())
                                .arg(rects[1].height())));
        // Both still on the chart.
        const QRectF plotRect = chart.plot()->rect();
        for (const QRectF &r : rects)
            QVERIFY(r.top() >= plotRect.top() && r.bottom() <= plotRect.bottom());
    }

    // Labels stacked on one place come apart, the first staying where it was.
    void separateLabelsStacksThem()
    {
        const QRectF label(10, 50, 100, 20);
        const QList<double> offsets = separateLabels({label, label, label}, QRectF(0, 0, 300, 200));
        QCOMPARE(offsets.size(), 3);
        QCOMPARE(offsets[0], 0.0);
        QList<QRectF> moved;
        for (int i = 0; i < 3; ++i)
            moved << label.translated(0, offsets[i]);
        QVERIFY(!moved[0].intersects(moved[1]) && !moved[0].intersects(moved[2]) && !moved[1].intersects(moved[2]));
        for (const QRectF &r : std::as_const(moved))
            QVERIFY(r.top() >= 0 && r.bottom() <= 200);
    }

    // N variants, N colours far enough apart to tell, each readable on the chart's background;
    // the PyTorch baselines sit among our variants, as on the FlashAttention kernel.
    void seriesColoursStayDistinct_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("dark");
        for (int n : {6, 7, 10, 12}) {
            QTest::addRow("%d series, light", n) << n << false;
            QTest::addRow("%d series, dark", n) << n << true;
        }
    }

    void seriesColoursStayDistinct()
    {
        QFETCH(int, count);
        QFETCH(bool, dark);
        const QStringList all{QStringLiteral("flash"),           QStringLiteral("flash_tma"),
                              QStringLiteral("naive"),           QStringLiteral("cpu"),
                              QStringLiteral("torch_flash"),     QStringLiteral("torch_cudnn"),
                              QStringLiteral("torch_efficient"), QStringLiteral("mine_1"),
                              QStringLiteral("mine_2"),          QStringLiteral("mine_3"),
                              QStringLiteral("mine_4"),          QStringLiteral("flashinfer")};
        const QStringList variants = all.mid(0, count);
        RunChartView chart(RunChartView::Kind::Speed);
        if (dark)
            chart.setPalette(darkPalette());
        chart.setKernel(kernelWith(variants));
        chart.setMetric(QStringLiteral("tflops"));
        chart.setRuns({speedRun(variants, 300)});
        QCOMPARE(chart.seriesCount(), count);
        const QColor background = chart.palette().color(QPalette::Base); // the chart's background
        QList<QColor> colours;
        for (int i = 0; i < count; ++i)
            colours << chart.plot()->graph(i)->pen().color();
        for (int i = 0; i < count; ++i) {
            // Readable: clearly lighter (dark chart) or darker (light chart) than the background.
            QVERIFY2(
                std::abs(colours[i].lightness() - background.lightness()) >= 50,
                qPrintable(QStringLiteral("%1 is %2 on %3").arg(variants[i], colours[i].name(), background.name())));
            for (int j = 0; j < i; ++j)
                QVERIFY2(distance(colours[i], colours[j]) >= 60,
                         qPrintable(QStringLiteral("%1 (%2) and %3 (%4) look alike")
                                        .arg(variants[i], colours[i].name(), variants[j], colours[j].name())));
        }
    }

    // FlashAttention's variants, with their real (long) names: a chart as narrow as beside
    // the form gets fewer legend columns rather than names cut off; a wide one keeps three.
    void legendShowsWholeNames_data()
    {
        // Whole names where the height leaves room for one a row (a short chart cuts them
        // rather than the axes: legendLeavesThePlotItsHeight).
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("atLeastColumns");
        QTest::newRow("beside the form, tall") << 420 << 640 << 1;
        QTest::newRow("full width") << 1400 << 420 << 3;
    }

    void legendShowsWholeNames()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, atLeastColumns);
        RunChartView chart(RunChartView::Kind::Speed);
        QStringList variants;
        QVERIFY(showFlashAttentionRun(chart, width, height, variants));
        QCPLegend *legend = chart.plot()->legend;
        int entries = 0;
        for (int i = 0; i < legend->itemCount(); ++i) {
            QCPAbstractLegendItem *item = legend->item(i);
            if (!item)
                continue; // an empty cell of the last row
            ++entries;
            QVERIFY2(item->outerRect().width() >= item->minimumOuterSizeHint().width() - 1,
                     qPrintable(QStringLiteral("legend entry %1 is %2 px wide, its name needs %3")
                                    .arg(i)
                                    .arg(item->outerRect().width())
                                    .arg(item->minimumOuterSizeHint().width())));
            QVERIFY(item->outerRect().right() <= chart.plot()->width());
        }
        QCOMPARE(entries, variants.size());
        QVERIFY(legend->wrap() >= atLeastColumns);
    }

    // In a chart as short as the playground's (about 240 px beside the form), the legend of
    // FlashAttention's variants leaves the axes at least half the height.
    void legendLeavesThePlotItsHeight()
    {
        RunChartView chart(RunChartView::Kind::Speed);
        QStringList variants;
        QVERIFY(showFlashAttentionRun(chart, 420, 240, variants));
        const int axes = chart.plot()->axisRect()->outerRect().height();
        QVERIFY2(axes >= chart.plot()->height() / 2,
                 qPrintable(QStringLiteral("the axes keep %1 of %2 px").arg(axes).arg(chart.plot()->height())));
    }

    // An empty chart says how to fill it (the Run button is out of sight below the form);
    // the line goes once points are drawn.
    void emptyChartSaysHowToFillIt()
    {
        RunChartView chart(RunChartView::Kind::Speed);
        const QStringList variants{QStringLiteral("flash")};
        chart.setKernel(kernelWith(variants));
        QVERIFY2(chart.emptyHint().contains(QLatin1String("press Run")), qPrintable(chart.emptyHint()));
        QCOMPARE(chart.plot()->itemCount(), 1);
        chart.setRuns({speedRun(variants, 300)});
        QVERIFY(chart.emptyHint().isEmpty());
        QCOMPARE(chart.plot()->itemCount(), 0);
    }

    // A baseline's colour does not depend on how many of our variants are drawn beside it.
    void baselinesKeepTheirColours()
    {
        const auto colourOf = [](const QStringList &variants, const QString &variant) {
            RunChartView chart(RunChartView::Kind::Speed);
            chart.setKernel(kernelWith(variants));
            chart.setMetric(QStringLiteral("tflops"));
            chart.setRuns({speedRun(variants, 300)});
            return chart.plot()->graph(int(variants.indexOf(variant)))->pen().color();
        };
        const QString cudnn = QStringLiteral("torch_cudnn");
        const QColor alone = colourOf({cudnn}, cudnn);
        QCOMPARE(colourOf({QStringLiteral("flash"), QStringLiteral("flash_tma"), QStringLiteral("cpu"), cudnn}, cudnn),
                 alone);
        QCOMPARE(alone, QColor(0x8c, 0x56, 0x4b)); // the brown it has always had
    }
};

QTEST_MAIN(TestChartLegibility)
#include "tst_chartlegibility.moc"
