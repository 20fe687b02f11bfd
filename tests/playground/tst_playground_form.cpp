// The playground form and charts as a new user meets them (issue 15): the wheel scrolls the
// form instead of changing the editor under the pointer, the form fits the paper tab,
// parameters whose 0 means "auto" say so, an empty chart's axis shows the coming sweep,
// and the legend sits beside the points instead of over them.
#include "family.h"
#include "library.h"
#include "paramform.h"
#include "playgroundentry.h"
#include "playgroundwidget.h"
#include "runchartview.h"

#include <QApplication>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>
#include <qcustomplot.h>

using namespace paperlab;
using namespace paperlab::playground;

namespace {

void turnWheel(QWidget *w)
{
    const QPointF centre(w->width() / 2.0, w->height() / 2.0);
    QWheelEvent wheel(centre, w->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &wheel);
}

RunRecord sweepRun(qint64 id, const QStringList &values, const QStringList &variants, int measured)
{
    RunRecord r;
    r.id = id;
    r.name = QStringLiteral("run %1").arg(id);
    r.setup.kernel = QStringLiteral("flash_attention");
    r.setup.sweepParam = QStringLiteral("seq_len");
    r.setup.sweepValues = values;
    for (int i = 0; i < measured; ++i)
        for (const QString &v : variants) {
            RunPoint p;
            p.variant = v;
            p.x = values.at(i).toDouble();
            p.metrics.insert(QStringLiteral("tflops"), 10.0 + i + id);
            r.points << p;
        }
    return r;
}

} // namespace

class TestPlaygroundForm : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void wheelScrollsTheFormNotTheEditor();
    void formFitsThePaperTab_data();
    void formFitsThePaperTab();
    void zeroThatMeansAutoSaysSo_data();
    void zeroThatMeansAutoSaysSo();
    void emptyChartShowsTheComingSweep();
    void legendLeavesThePointsVisible();

private:
    std::unique_ptr<PlaygroundWidget> openPlayground(int width, int height);
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_library;
};

void TestPlaygroundForm::initTestCase()
{
    qputenv("PAPERLAB_RUNNER", PAPERLAB_RUNNER_PATH);
    QCoreApplication::setOrganizationName(QStringLiteral("PaperLabTest"));
    m_library = std::make_unique<Library>(m_dir.filePath(QStringLiteral("lib.sqlite")));
    PaperRecord fa;
    fa.key = QStringLiteral("flashattention");
    fa.title = QStringLiteral("FlashAttention");
    m_library->addPaper(fa);
}

std::unique_ptr<PlaygroundWidget> TestPlaygroundForm::openPlayground(int width, int height)
{
    std::unique_ptr<PlaygroundWidget> w(
        createPaperPlayground(*m_library, *m_library->paperByKey(QStringLiteral("flashattention"))));
    w->resize(width, height);
    w->show();
    if (!QTest::qWaitForWindowExposed(w.get()))
        return nullptr;
    return w;
}

void TestPlaygroundForm::wheelScrollsTheFormNotTheEditor()
{
    auto w = openPlayground(1000, 500);
    QVERIFY(w);
    // q_heads: not the swept parameter, so its editor is enabled.
    auto *heads = qobject_cast<QSpinBox *>(w->findChild<ParamForm *>()->editor(QStringLiteral("q_heads")));
    QVERIFY(heads);
    QVERIFY(heads->isEnabled());
    auto *scroll = w->findChild<QScrollArea *>();
    QVERIFY(scroll);
    const int before = heads->value();
    QVERIFY(!heads->hasFocus());
    turnWheel(heads);
    QCOMPARE(heads->value(), before);

    // Clicked into (focused), the wheel edits as usual.
    w->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(w.get()));
    heads->setFocus(Qt::MouseFocusReason);
    QVERIFY(heads->hasFocus());
    turnWheel(heads);
    QVERIFY(heads->value() != before);
}

void TestPlaygroundForm::formFitsThePaperTab_data()
{
    QTest::addColumn<QString>("kernel");
    for (const KernelInfo &k : localKernels())
        QTest::newRow(qPrintable(k.id)) << k.id;
}

void TestPlaygroundForm::formFitsThePaperTab()
{
    QFETCH(QString, kernel);
    // Every kernel in one playground (the kernels overview's), in a paper tab's width.
    QList<PaperKernel> all;
    for (const KernelInfo &k : localKernels())
        all << PaperKernel{k.id, true, QString()};
    PlaygroundWidget w(*m_library, 0, all);
    w.resize(900, 700);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.selectKernel(kernel));
    auto *scroll = w.findChild<QScrollArea *>();
    QVERIFY(scroll);
    QWidget *form = scroll->widget();
    QTRY_VERIFY(form->width() > 0);
    // Nothing of the form hidden to the right: it needs no more width than it is shown in.
    QVERIFY2(form->minimumSizeHint().width() <= scroll->viewport()->width(),
             qPrintable(QStringLiteral("form wants %1 px, shown in %2 px")
                            .arg(form->minimumSizeHint().width())
                            .arg(scroll->viewport()->width())));
    QVERIFY(!scroll->horizontalScrollBar()->isVisible());
    QVERIFY2(w.minimumSizeHint().width() <= 900, qPrintable(QString::number(w.minimumSizeHint().width())));
}

void TestPlaygroundForm::zeroThatMeansAutoSaysSo_data()
{
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("shown");
    int rows = 0;
    for (const KernelInfo &k : localKernels())
        for (const ParamInfo &p : k.params)
            if (!p.zeroMeans.isEmpty()) {
                QTest::addRow("%s-%s", qPrintable(k.id), qPrintable(p.name)) << k.id << p.name << p.zeroMeans;
                ++rows;
            }
    QVERIFY2(rows >= 5, "kv_heads, num_splits, budget, tokens, model_dim say what 0 means");
}

void TestPlaygroundForm::zeroThatMeansAutoSaysSo()
{
    QFETCH(QString, kernel);
    QFETCH(QString, param);
    QFETCH(QString, shown);
    ParamFormModel model;
    model.setKernel(*findLocalKernel(kernel), false);
    ParamForm form(&model);
    auto *spin = qobject_cast<QAbstractSpinBox *>(form.editor(param));
    QVERIFY(spin);
    if (auto *box = qobject_cast<QSpinBox *>(spin))
        box->setValue(0);
    QCOMPARE(spin->text(), shown);
    QCOMPARE(model.value(param), QStringLiteral("0")); // the runner still gets 0
}

void TestPlaygroundForm::emptyChartShowsTheComingSweep()
{
    RunChartView chart(RunChartView::Kind::Speed);
    chart.setKernel(*findLocalKernel(QStringLiteral("flash_attention")));
    chart.setMetric(QStringLiteral("tflops"));
    chart.setLogX(true);
    chart.resize(600, 320);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    // Nothing run: an axis without numbers rather than QCustomPlot's 0.0039…4.
    QVERIFY(!chart.plot()->xAxis->tickLabels());
    chart.plot()->replot();
    // The empty legend row below takes no room from the plot.
    QVERIFY2(chart.plot()->axisRect()->rect().width() > chart.plot()->width() / 2,
             qPrintable(QString::number(chart.plot()->axisRect()->rect().width())));

    // A run just started, no point back yet: the axis spans the values about to come.
    chart.setRuns({sweepRun(1, {QStringLiteral("512"), QStringLiteral("1024"), QStringLiteral("4096")},
                            {QStringLiteral("cpu")}, 0)});
    const QCPRange x = chart.plot()->xAxis->range();
    QVERIFY2(x.lower >= 256 && x.lower < 512 && x.upper > 4096 && x.upper <= 8192,
             qPrintable(QStringLiteral("%1 .. %2").arg(x.lower).arg(x.upper)));
    QVERIFY(chart.plot()->xAxis->tickLabels());
}

void TestPlaygroundForm::legendLeavesThePointsVisible()
{
    RunChartView chart(RunChartView::Kind::Speed);
    chart.setKernel(*findLocalKernel(QStringLiteral("flash_attention")));
    chart.setMetric(QStringLiteral("tflops"));
    chart.resize(600, 360);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QStringList values{QStringLiteral("512"), QStringLiteral("1024"), QStringLiteral("2048")};
    const QStringList variants{QStringLiteral("flash"), QStringLiteral("naive"), QStringLiteral("cpu")};
    chart.setRuns({sweepRun(1, values, variants, 3), sweepRun(2, values, variants, 3)});
    QCOMPARE(chart.seriesCount(), 6);
    chart.plot()->replot();
    const QRect legend = chart.plot()->legend->outerRect();
    const QRect points = chart.plot()->axisRect()->rect();
    QVERIFY(legend.isValid());
    QVERIFY2(!legend.intersects(points), "the legend covers the plotted points");
    QVERIFY2(chart.plot()->rect().contains(legend), "the legend is clipped by the chart");
    QVERIFY2(points.width() > chart.plot()->width() / 2 && points.height() > chart.plot()->height() / 3,
             qPrintable(QStringLiteral("plot area %1 x %2").arg(points.width()).arg(points.height())));
}

QTEST_MAIN(TestPlaygroundForm)
#include "tst_playground_form.moc"
