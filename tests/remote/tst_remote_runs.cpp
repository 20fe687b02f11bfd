// Remote and fanned-out runs against real daemons: an OpenSSH server and a one-node Slurm
// cluster started on loopback by daemons.sh (the CTest fixture around this test). A sweep
// through `ssh` and through `srun` must give the points a local run gives; failures (a
// closed port, a refused key, a cancelled Slurm job) must end the run with a message that
// says what happened and which points were lost, keeping what was measured.
#include "runfixture.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::playground;

namespace {

RunSetup tinySetup()
{
    return testing::tinySetup({QStringLiteral("16"), QStringLiteral("32"), QStringLiteral("48"), QStringLiteral("64")});
}

// Points long enough (~0.1–0.5 s each) that a test can act while the run is going.
RunSetup longSetup()
{
    RunSetup s = testing::tinySetup({});
    for (int i = 0; i < 12; ++i)
        s.sweepValues << QString::number(512 + 64 * i);
    s.repetitions = 3;
    return s;
}

} // namespace

class TestRemoteRuns : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void sweepMatchesLocal_data();
    void sweepMatchesLocal();
    void fanOutOverTwoSlurmSteps();
    void hostThatRefuses_data();
    void hostThatRefuses();
    void cancelledSlurmJobKeepsMeasuredPoints();

private:
    QString env(const char *key) const { return m_env.value(QString::fromLatin1(key)); }
    RunRecord runToEnd(RunSession &session, const RunSetup &setup)
    {
        return m_fixture->runToEnd(session, setup, 60000);
    }
    QMap<QString, QString> m_env;
    std::unique_ptr<testing::RunFixture> m_fixture;
    RunStore *m_store = nullptr;
    qint64 m_paperId = 0;
};

void TestRemoteRuns::initTestCase()
{
    const QString path = qEnvironmentVariable("PAPERLAB_REMOTE_ENV");
    QVERIFY2(!path.isEmpty(),
             "PAPERLAB_REMOTE_ENV is not set: run this test through ctest (its fixture starts the daemons)");
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly),
             qPrintable(QStringLiteral("cannot read %1: did daemons.sh start run?").arg(path)));
    for (const QByteArray &line : f.readAll().split('\n')) {
        const int eq = line.indexOf('=');
        if (eq > 0)
            m_env.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    if (m_env.contains(QStringLiteral("SKIP")) && qEnvironmentVariableIsSet("PAPERLAB_REQUIRE_DAEMONS"))
        QFAIL(qPrintable(QStringLiteral("the daemons are required here but: %1").arg(env("SKIP"))));
}

void TestRemoteRuns::init()
{
    m_fixture = std::make_unique<testing::RunFixture>();
    m_store = &m_fixture->store;
    m_paperId = m_fixture->paperId;
}

void TestRemoteRuns::cleanup()
{
    m_store = nullptr;
    m_fixture.reset();
}

// The accuracy of every point, keyed by sweep value: what must not depend on where it ran.
static QMap<QString, QMap<QString, double>> accuracyByValue(const RunRecord &run)
{
    QMap<QString, QMap<QString, double>> out;
    for (const RunPoint &p : run.points) {
        QMap<QString, double> m = p.metrics;
        for (auto it = m.begin(); it != m.end();)
            it = it.key().contains(QLatin1String("time")) || it.key().contains(QLatin1String("flops")) ||
                         it.key().contains(QLatin1String("gbps")) || it.key().contains(QLatin1String("bandwidth"))
                     ? m.erase(it)
                     : std::next(it);
        out.insert(p.variant + QLatin1Char('@') + p.sweepValue, m);
    }
    return out;
}

void TestRemoteRuns::sweepMatchesLocal_data()
{
    QTest::addColumn<QString>("prefixKey");
    QTest::newRow("ssh") << QStringLiteral("SSH_PREFIX");
    QTest::newRow("srun") << QStringLiteral("SRUN_PREFIX");
}

void TestRemoteRuns::sweepMatchesLocal()
{
    QFETCH(QString, prefixKey);
    if (!m_env.contains(prefixKey))
        QSKIP(qPrintable(env("SKIP")));
    RunSession local(*m_store);
    local.setLauncher(QString(), QStringLiteral(PAPERLAB_RUNNER_PATH));
    const RunRecord here = runToEnd(local, tinySetup());
    QCOMPARE(here.status, RunStatus::Finished);

    RunSession remote(*m_store);
    remote.setLauncher(m_env.value(prefixKey), QStringLiteral(PAPERLAB_RUNNER_PATH));
    const RunRecord there = runToEnd(remote, tinySetup());
    QVERIFY2(there.status == RunStatus::Finished, qPrintable(there.message));
    QVERIFY2(there.message.isEmpty(), qPrintable(there.message));
    QCOMPARE(there.points.size(), here.points.size());
    QCOMPARE(accuracyByValue(there), accuracyByValue(here));
    QVERIFY(!accuracyByValue(there).first().isEmpty()); // the comparison compared something
    for (const RunPoint &p : there.points)
        QVERIFY(p.metrics.value(QStringLiteral("time_ms")) > 0);
    QCOMPARE(m_store->load(there.id)->points.size(), here.points.size());
}

void TestRemoteRuns::fanOutOverTwoSlurmSteps()
{
    if (!m_env.contains(QStringLiteral("SRUN_PREFIX")))
        QSKIP(qPrintable(env("SKIP")));
    RunSession local(*m_store);
    local.setLauncher(QString(), QStringLiteral(PAPERLAB_RUNNER_PATH));
    const RunRecord here = runToEnd(local, tinySetup());

    // Two job steps at once, as `srun --gpus-per-task 1` would give one GPU each.
    RunSession fanned(*m_store);
    fanned.setLanes({RunnerLane{env("SRUN_PREFIX"), QString()}, RunnerLane{env("SRUN_PREFIX"), QString()}},
                    QStringLiteral(PAPERLAB_RUNNER_PATH));
    QCOMPARE(fanned.laneCount(), 2);
    const RunRecord run = runToEnd(fanned, tinySetup());
    QVERIFY2(run.status == RunStatus::Finished && run.message.isEmpty(), qPrintable(run.message));
    QCOMPARE(accuracyByValue(run), accuracyByValue(here));
    QVERIFY(fanned.client(0)->processId() != fanned.client(1)->processId());
    // One stored run holds every point, each index once.
    const auto stored = m_store->load(run.id);
    QCOMPARE(stored->points.size(), here.points.size());
    QSet<int> indexes;
    for (const RunPoint &p : stored->points)
        indexes.insert(p.index);
    QCOMPARE(indexes.size(), here.points.size());
    QVERIFY2(run.deviceName.startsWith(QStringLiteral("2× ")), qPrintable(run.deviceName));
}

void TestRemoteRuns::hostThatRefuses_data()
{
    QTest::addColumn<QString>("prefixKey");
    QTest::addColumn<QString>("expected");
    QTest::newRow("closed port") << QStringLiteral("SSH_CLOSED") << QStringLiteral("Connection refused");
    QTest::newRow("unknown key") << QStringLiteral("SSH_BADKEY") << QStringLiteral("Permission denied");
}

void TestRemoteRuns::hostThatRefuses()
{
    QFETCH(QString, prefixKey);
    QFETCH(QString, expected);
    if (!m_env.contains(prefixKey))
        QSKIP(qPrintable(env("SKIP")));
    RunSession session(*m_store);
    session.setLauncher(m_env.value(prefixKey), QStringLiteral(PAPERLAB_RUNNER_PATH));
    const RunRecord run = runToEnd(session, tinySetup());
    QCOMPARE(run.status, RunStatus::Failed);
    QVERIFY2(run.message.contains(expected), qPrintable(run.message));
    // The lost values are named, so nobody mistakes an empty chart for a result.
    QVERIFY2(run.message.contains(QLatin1String("seq_len = 16, 32, 48, 64")), qPrintable(run.message));
    QCOMPARE(m_store->load(run.id)->status, RunStatus::Failed);
}

void TestRemoteRuns::cancelledSlurmJobKeepsMeasuredPoints()
{
    if (!m_env.contains(QStringLiteral("SRUN_PREFIX")))
        QSKIP(qPrintable(env("SKIP")));
    RunSession session(*m_store);
    session.setLauncher(env("SRUN_PREFIX") + QStringLiteral(" --job-name=paperlab-cancel-me"),
                        QStringLiteral(PAPERLAB_RUNNER_PATH));
    QSignalSpy ended(&session, &RunSession::runEnded);
    // The administrator (or the time limit) ends the job after its first point.
    connect(
        &session, &RunSession::pointAdded, this,
        [this] {
            QProcess scancel;
            QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
            e.insert(QStringLiteral("SLURM_CONF"), env("SLURM_CONF"));
            scancel.setProcessEnvironment(e);
            scancel.start(QStringLiteral("scancel"), {QStringLiteral("--name=paperlab-cancel-me")});
            QVERIFY(scancel.waitForFinished(10000));
        },
        Qt::SingleShotConnection);
    QVERIFY(session.start(longSetup(), m_paperId));
    QVERIFY(ended.wait(60000));
    const auto run = ended.first().first().value<RunRecord>();
    QVERIFY2(run.status == RunStatus::Failed, qPrintable(run.message));
    QVERIFY2(run.message.contains(QLatin1String("not measured: seq_len =")), qPrintable(run.message));
    const auto stored = m_store->load(run.id);
    QVERIFY(!stored->points.isEmpty());
    QVERIFY(stored->points.size() < longSetup().sweepValues.size());
    QCOMPARE(stored->message, run.message);
}

QTEST_GUILESS_MAIN(TestRemoteRuns)
#include "tst_remote_runs.moc"
