// Offscreen: open a paper's playground, run a tiny CPU sweep through the real runner, and
// check the charts hold the points, the run is listed, and the CPU notice is shown; a
// block-sparse run fills the mask panel; "export all charts" writes every run's charts.
#include "blockmaskview.h"
#include "chartexport.h"
#include "kernelsoverview.h"
#include "library.h"
#include "playgroundentry.h"
#include "playgroundwidget.h"
#include "runchartview.h"
#include "runhistory.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace paperlab;
using namespace paperlab::playground;

class TestPlaygroundGui : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void paperRunsTinyCpuSweep();
    void blockSparseRunShowsMask();
    void exportAllChartsOfPaper();
    void userCeilingIsDrawnAndRemembered();
    void unrelatedPaperSaysSo();
    void overviewListsKernelsWithPapers();
    void launcherTestSaysWhatItFound_data();
    void launcherTestSaysWhatItFound();
    void sweepFansOutOverRunners();
    void unavailableBaselinesAreDisabledWithTheReason();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_library;
};

void TestPlaygroundGui::initTestCase()
{
    qputenv("PAPERLAB_RUNNER", PAPERLAB_RUNNER_PATH);
    QCoreApplication::setOrganizationName(QStringLiteral("PaperLabTest"));
    m_library = std::make_unique<Library>(m_dir.filePath(QStringLiteral("lib.sqlite")));
    PaperRecord fa;
    fa.key = QStringLiteral("flashattention");
    fa.title = QStringLiteral("FlashAttention: Fast and Memory-Efficient Exact Attention");
    m_library->addPaper(fa);
    PaperRecord moba;
    moba.key = QStringLiteral("MoBA");
    moba.title = QStringLiteral("MoBA: Mixture of Block Attention for Long-Context LLMs");
    m_library->addPaper(moba);
    PaperRecord survey;
    survey.key = QStringLiteral("SomeSurvey");
    survey.title = QStringLiteral("A survey");
    survey.topics = {QStringLiteral("Survey")};
    m_library->addPaper(survey);
}

void TestPlaygroundGui::paperRunsTinyCpuSweep()
{
    const auto paper = m_library->paperByKey(QStringLiteral("flashattention"));
    QVERIFY(paper);
    std::unique_ptr<PlaygroundWidget> w(createPaperPlayground(*m_library, *paper));
    w->resize(1200, 800);
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    QCOMPARE(w->kernelId(), QStringLiteral("flash_attention"));
    // Without a GPU the runner reports the CPU only, and the notice says what that means.
    QTRY_VERIFY_WITH_TIMEOUT(w->findChild<QLabel *>(QStringLiteral("cpuNotice"))->isVisible(), 10000);

    w->setSweep(QStringLiteral("seq_len"), QStringLiteral("16, 32, 64"));
    w->setRepetitions(1);
    QSignalSpy ended(w.get(), &PlaygroundWidget::runEnded);
    w->findChild<QPushButton *>(QStringLiteral("runButton"))->click();
    QVERIFY(w->running());
    QVERIFY(ended.wait(30000));
    const auto run = ended.first().first().value<RunRecord>();
    QCOMPARE(run.status, RunStatus::Finished);
    QCOMPARE(run.points.size(), 3);

    QCOMPARE(w->speedChart()->pointCount(), 3);
    QCOMPARE(w->speedChart()->seriesCount(), 1);
    // The CPU reference is exact: its error is zero-ish but positive, plotted on a log axis.
    QVERIFY(w->accuracyChart()->pointCount() >= 1);
    QCOMPARE(w->history()->count(), 1);
    QCOMPARE(w->history()->checkedRuns(), QList<qint64>{run.id});
    QVERIFY(!w->findChild<QLabel *>(QStringLiteral("errorBanner"))->isVisible());

    // Exports.
    for (const char *type : {"png", "svg", "pdf"}) {
        const QString path = m_dir.filePath(QStringLiteral("chart.") + QLatin1String(type));
        QString error;
        QVERIFY2(w->speedChart()->exportTo(path, &error), qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 0);
    }
}

void TestPlaygroundGui::blockSparseRunShowsMask()
{
    const auto paper = m_library->paperByKey(QStringLiteral("MoBA"));
    QVERIFY(paper);
    std::unique_ptr<PlaygroundWidget> w(createPaperPlayground(*m_library, *paper));
    w->resize(1200, 800);
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    QCOMPARE(w->kernelId(), QStringLiteral("block_sparse_attention"));
    QVERIFY(w->maskView()->isVisible());
    QVERIFY(!w->maskView()->hasMask());
    QTRY_VERIFY_WITH_TIMEOUT(w->findChild<QLabel *>(QStringLiteral("cpuNotice"))->isVisible(), 10000);

    // 2 and 4 blocks of 64 tokens: the CPU float64 path takes milliseconds.
    w->setSweep(QStringLiteral("seq_len"), QStringLiteral("128, 256"));
    w->setRepetitions(1);
    QSignalSpy ended(w.get(), &PlaygroundWidget::runEnded);
    w->findChild<QPushButton *>(QStringLiteral("runButton"))->click();
    QVERIFY(ended.wait(30000));
    const auto run = ended.first().first().value<RunRecord>();
    QCOMPARE(run.status, RunStatus::Finished);
    QCOMPARE(run.points.size(), 2);
    QVERIFY(w->maskView()->hasMask());
    QVERIFY(!w->maskView()->pixmap().isNull());
    QVERIFY(w->findChild<QLabel *>(QStringLiteral("blockMaskText"))->text().contains(QLatin1String("density")));

    // The mask is stored with the point: the run reloads with it.
    RunStore store(*m_library);
    const auto stored = store.load(run.id);
    QVERIFY(stored);
    QCOMPARE(stored->points.last().mask.rows, 4);
    QCOMPARE(stored->points.last().mask.cols, 4);
    QCOMPARE(stored->points.last().mask.bits, run.points.last().mask.bits);

    // Other kernels do not show the panel.
    const auto fa = m_library->paperByKey(QStringLiteral("flashattention"));
    std::unique_ptr<PlaygroundWidget> dense(createPaperPlayground(*m_library, *fa));
    dense->show();
    QVERIFY(!dense->maskView()->isVisible());
}

void TestPlaygroundGui::exportAllChartsOfPaper()
{
    // The MoBA run of blockSparseRunShowsMask is stored; export it through the store alone.
    const auto paper = m_library->paperByKey(QStringLiteral("MoBA"));
    QVERIFY(paper);
    RunStore store(*m_library);
    const QList<RunRecord> runs = store.runsForPaper(paper->id);
    QVERIFY(!runs.isEmpty());
    const QString folder = m_dir.filePath(QStringLiteral("figures/moba"));
    const ChartExportResult r = exportAllCharts(store, paper->id, folder);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QCOMPARE(r.files.size(), runs.size() * 6);
    for (const RunRecord &run : runs) {
        for (const char *chart : {"speed", "accuracy"}) {
            const QString base =
                QStringLiteral("%1/block_sparse_attention-%2-%3").arg(folder).arg(run.id).arg(QLatin1String(chart));
            const QImage png(base + QStringLiteral(".png"));
            QCOMPARE(png.size(), kSlideChartSize * 2);
            QFile svg(base + QStringLiteral(".svg"));
            QVERIFY(svg.open(QIODevice::ReadOnly));
            QXmlStreamReader xml(&svg);
            QVERIFY(xml.readNextStartElement());
            QCOMPARE(xml.name(), QStringLiteral("svg"));
            while (!xml.atEnd())
                xml.readNext();
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QFile pdf(base + QStringLiteral(".pdf"));
            QVERIFY(pdf.open(QIODevice::ReadOnly));
            QVERIFY(pdf.read(5) == "%PDF-");
        }
    }
    // A paper without runs gets no files (the widget then says so).
    const auto fa = m_library->paperByKey(QStringLiteral("SomeSurvey"));
    QVERIFY(exportAllCharts(store, fa->id, m_dir.filePath(QStringLiteral("none"))).files.isEmpty());
}

void TestPlaygroundGui::userCeilingIsDrawnAndRemembered()
{
    QSettings().remove(QStringLiteral("playground/ceiling")); // from an earlier run of this test
    const auto paper = m_library->paperByKey(QStringLiteral("flashattention"));
    std::unique_ptr<QWidget> w(createPaperPlayground(*m_library, *paper));
    auto *peak = w->findChild<QDoubleSpinBox *>(QStringLiteral("peakTflops"));
    auto *speed = w->findChild<RunChartView *>(QStringLiteral("speedChart"));
    QVERIFY(peak && speed);
    QCOMPARE(speed->metricId(), QStringLiteral("tflops"));
    QCOMPARE(speed->ceiling(), 0.0); // the CPU has no known ceiling
    peak->setValue(123);
    emit peak->editingFinished();
    QCOMPARE(speed->ceiling(), 123.0);
    // A new playground on the same device starts from the value the user entered.
    std::unique_ptr<QWidget> again(createPaperPlayground(*m_library, *paper));
    QCOMPARE(again->findChild<QDoubleSpinBox *>(QStringLiteral("peakTflops"))->value(), 123.0);
    QSettings().remove(QStringLiteral("playground/ceiling"));
}

void TestPlaygroundGui::unrelatedPaperSaysSo()
{
    const auto paper = m_library->paperByKey(QStringLiteral("SomeSurvey"));
    std::unique_ptr<PlaygroundWidget> w(createPaperPlayground(*m_library, *paper));
    QVERIFY(w->findChild<QLabel *>(QStringLiteral("noKernel")));
}

void TestPlaygroundGui::overviewListsKernelsWithPapers()
{
    std::unique_ptr<KernelsOverview> view(createKernelsOverview(*m_library));
    QVERIFY(view->topLevelItemCount() >= 2);
    QTreeWidgetItem *fa = view->topLevelItem(0);
    QSignalSpy activated(view.get(), &KernelsOverview::paperActivated);
    emit view->itemActivated(fa->child(0), 0);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().first().toLongLong(), m_library->paperByKey(QStringLiteral("flashattention"))->id);
}

namespace {
std::unique_ptr<PlaygroundWidget> openFlashAttention(Library &library)
{
    const auto paper = library.paperByKey(QStringLiteral("flashattention"));
    std::unique_ptr<PlaygroundWidget> w(createPaperPlayground(library, *paper));
    w->resize(1200, 800);
    w->show();
    return w;
}
} // namespace

void TestPlaygroundGui::launcherTestSaysWhatItFound_data()
{
    QTest::addColumn<QString>("launcher");
    QTest::addColumn<QString>("expected");
    QTest::newRow("this machine") << QString() << QStringLiteral("Connected: runner ");
    QTest::newRow("a wrapper") << QStringLiteral("env PAPERLAB_TEST_WRAPPED=1") << QStringLiteral("devices: CPU");
    QTest::newRow("no such launcher") << QStringLiteral("/nonexistent/launcher --x")
                                      << QStringLiteral("Not connected: ");
}

void TestPlaygroundGui::launcherTestSaysWhatItFound()
{
    QFETCH(QString, launcher);
    QFETCH(QString, expected);
    auto w = openFlashAttention(*m_library);
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    auto *edit = w->findChild<QLineEdit *>(QStringLiteral("launcher"));
    edit->setText(launcher);
    w->findChild<QPushButton *>(QStringLiteral("testLauncher"))->click();
    auto *label = w->findChild<QLabel *>(QStringLiteral("connection"));
    QTRY_VERIFY_WITH_TIMEOUT(!label->text().endsWith(QChar(0x2026)), 20000); // no longer "Connecting…"
    QVERIFY2(label->text().contains(expected), qPrintable(label->text()));
    // A launcher that worked is offered again next time.
    const QStringList saved = QSettings().value(QStringLiteral("playground/savedLaunchers")).toStringList();
    QCOMPARE(saved.contains(launcher), !launcher.isEmpty() && !expected.startsWith(QLatin1String("Not")));
}

void TestPlaygroundGui::sweepFansOutOverRunners()
{
    auto w = openFlashAttention(*m_library);
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    w->findChild<QLineEdit *>(QStringLiteral("launcher"))->setText(QString());
    w->findChild<QSpinBox *>(QStringLiteral("runners"))->setValue(2);
    w->setSweep(QStringLiteral("seq_len"), QStringLiteral("16, 32, 48, 64"));
    w->setRepetitions(1);
    QSignalSpy ended(w.get(), &PlaygroundWidget::runEnded);
    w->findChild<QPushButton *>(QStringLiteral("runButton"))->click();
    QVERIFY(ended.wait(60000));
    const auto run = ended.first().first().value<RunRecord>();
    QVERIFY2(run.status == RunStatus::Finished && run.message.isEmpty(), qPrintable(run.message));
    QCOMPARE(run.points.size(), 4);
    QVERIFY2(run.deviceName.startsWith(QStringLiteral("2× ")), qPrintable(run.deviceName));
}

void TestPlaygroundGui::unavailableBaselinesAreDisabledWithTheReason()
{
    if (QProcess::execute(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral("import torch")}) == 0)
        QSKIP("this host has PyTorch: its baselines are available");
    auto w = openFlashAttention(*m_library);
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    auto *cudnn = w->findChild<QCheckBox *>(QStringLiteral("variant_torch_cudnn"));
    QVERIFY(cudnn);
    // The runner's listing arrives after it starts; then the box says why it cannot run.
    QTRY_VERIFY_WITH_TIMEOUT(cudnn->text().contains(QStringLiteral("unavailable")), 20000);
    QVERIFY(!cudnn->isEnabled());
    QVERIFY(!cudnn->isChecked());
    QVERIFY2(cudnn->toolTip().contains(QStringLiteral("Unavailable on the runner's host")),
             qPrintable(cudnn->toolTip()));
}

QTEST_MAIN(TestPlaygroundGui)
#include "tst_playground_gui.moc"
