// Who owns the runs: the run store in the catalog. A second playground must leave the
// first one's live run alone (only the application's start marks interrupted runs), and
// "Pin to slides" in the run history puts a run on the paper's slides.
#include "library.h"
#include "playgroundentry.h"
#include "playgroundwidget.h"
#include "runhistory.h"
#include "runstore.h"
#include "slidecharts.h"

#include <QAction>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::playground;

namespace {

// The paper whose own kernel is flash_attention; returns its id.
qint64 addFlashAttention(Library &lib)
{
    PaperRecord p;
    p.key = QStringLiteral("flashattention");
    p.title = QStringLiteral("FlashAttention");
    lib.addPaper(p);
    return lib.paperByKey(p.key)->id;
}

} // namespace

class TestPlaygroundRuns : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void secondPlaygroundLeavesLiveRunAlone();
    void appStartMarksInterruptedRuns();
    void pinToSlidesFromHistory();

private:
    qint64 storeRun(RunStatus status);
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_library;
    qint64 m_paperId = 0;
};

void TestPlaygroundRuns::initTestCase()
{
    qputenv("PAPERLAB_RUNNER", PAPERLAB_RUNNER_PATH);
    QCoreApplication::setOrganizationName(QStringLiteral("PaperLabTest"));
    m_library = std::make_unique<Library>(m_dir.filePath(QStringLiteral("lib.sqlite")));
    m_paperId = addFlashAttention(*m_library);
}

qint64 TestPlaygroundRuns::storeRun(RunStatus status)
{
    RunRecord r;
    r.paperId = m_paperId;
    r.name = QStringLiteral("stored");
    r.setup.kernel = QStringLiteral("flash_attention");
    r.setup.sweepParam = QStringLiteral("seq_len");
    r.status = status;
    RunPoint p;
    p.variant = QStringLiteral("cpu_reference");
    p.x = 16;
    p.metrics.insert(QStringLiteral("time_ms"), 1.5);
    r.points << p;
    return RunStore(*m_library).insert(r);
}

void TestPlaygroundRuns::secondPlaygroundLeavesLiveRunAlone()
{
    const auto paper = m_library->paperByKey(QStringLiteral("flashattention"));
    std::unique_ptr<PlaygroundWidget> first(createPaperPlayground(*m_library, *paper));
    first->show();
    QVERIFY(QTest::qWaitForWindowExposed(first.get()));
    first->setSweep(QStringLiteral("seq_len"), QStringLiteral("16, 32"));
    first->setRepetitions(1);
    QSignalSpy ended(first.get(), &PlaygroundWidget::runEnded);
    first->findChild<QPushButton *>(QStringLiteral("runButton"))->click();
    QVERIFY(first->running());
    RunStore store(*m_library);
    const QList<RunRecord> runs = store.runsForPaper(m_paperId);
    QVERIFY(!runs.isEmpty());
    const qint64 live = runs.first().id;
    QCOMPARE(runs.first().status, RunStatus::Running);

    // The same paper opened again (a second window, the kernels overview) while it streams.
    std::unique_ptr<PlaygroundWidget> second(createPaperPlayground(*m_library, *paper));
    second->show();
    QCOMPARE(store.load(live)->status, RunStatus::Running);

    QVERIFY(ended.wait(30000));
    QCOMPARE(store.load(live)->status, RunStatus::Finished);
    QCOMPARE(store.load(live)->points.size(), 2);
}

void TestPlaygroundRuns::appStartMarksInterruptedRuns()
{
    // A copy of the library with a run a crashed session left "running", and a finished one.
    const QString db = m_dir.filePath(QStringLiteral("crashed.sqlite"));
    qint64 stale = 0, done = 0;
    {
        Library lib(db);
        RunRecord r;
        r.paperId = addFlashAttention(lib);
        r.setup.kernel = QStringLiteral("flash_attention");
        r.status = RunStatus::Running;
        RunRecord finished = r;
        finished.status = RunStatus::Finished;
        RunStore store(lib);
        stale = store.insert(r);
        done = store.insert(finished);
    }
    QTemporaryDir home;
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(PAPERLAB_APP), {QStringLiteral("--db"), db, QStringLiteral("--exit-after-paint")});
    QVERIFY2(app.waitForFinished(60000), qPrintable(app.errorString()));
    QCOMPARE(app.exitCode(), 0);

    Library lib(db);
    RunStore store(lib);
    QCOMPARE(store.load(stale)->status, RunStatus::Failed);
    QCOMPARE(store.load(done)->status, RunStatus::Finished);
}

void TestPlaygroundRuns::pinToSlidesFromHistory()
{
    const qint64 id = storeRun(RunStatus::Finished);
    RunStore store(*m_library);
    RunHistory history(store);
    history.reload(m_paperId, QStringLiteral("flash_attention"));
    QVERIFY(pinnedRunCharts(store, m_paperId).isEmpty());

    QMenu menu;
    history.fillMenu(menu, id);
    QAction *pin = menu.findChild<QAction *>(QStringLiteral("pinToSlides"));
    QVERIFY(pin);
    QVERIFY(pin->isEnabled());
    QVERIFY(!pin->isChecked());
    pin->trigger();
    QVERIFY(store.load(id)->pinned);
    const QList<paperlab::RunChart> charts = pinnedRunCharts(store, m_paperId);
    QCOMPARE(charts.size(), 1);
    QCOMPARE(charts.first().title, QStringLiteral("stored"));
    bool labelled = false;
    for (int i = 0; i < history.count(); ++i)
        labelled = labelled || (history.item(i)->data(Qt::UserRole).toLongLong() == id &&
                                history.item(i)->text().contains(QLatin1String("on slides")));
    QVERIFY(labelled);

    // And off again: the menu shows the state it is in.
    QMenu again;
    history.fillMenu(again, id);
    QAction *unpin = again.findChild<QAction *>(QStringLiteral("pinToSlides"));
    QVERIFY(unpin->isChecked());
    unpin->trigger();
    QVERIFY(!store.load(id)->pinned);
    QVERIFY(pinnedRunCharts(store, m_paperId).isEmpty());
}

QTEST_MAIN(TestPlaygroundRuns)
#include "tst_playground_runs.moc"
