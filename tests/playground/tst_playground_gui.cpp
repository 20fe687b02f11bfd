// Offscreen: open a paper's playground, run a tiny CPU sweep through the real runner, and
// check the charts hold the points, the run is listed, and the CPU notice is shown.
#include "kernelsoverview.h"
#include "library.h"
#include "playgroundentry.h"
#include "playgroundwidget.h"
#include "runchart.h"
#include "runhistory.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::playground;

class TestPlaygroundGui : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void paperRunsTinyCpuSweep();
    void unrelatedPaperSaysSo();
    void overviewListsKernelsWithPapers();

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

QTEST_MAIN(TestPlaygroundGui)
#include "tst_playground_gui.moc"
