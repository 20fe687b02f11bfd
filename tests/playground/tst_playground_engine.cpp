// The playground engine against a real paperlab-runner on the CPU: streamed points, stored
// runs, cancellation, the process dying mid-run, launcher prefixes, runner errors.
#include "runfixture.h"
#include "runnerclient.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace paperlab;
using namespace paperlab::playground;
using paperlab::playground::testing::tinySetup;

namespace {

// Enough work that a run is still going when the test acts on its first point.
RunSetup longSetup()
{
    RunSetup s = tinySetup({});
    for (int i = 0; i < 40; ++i)
        s.sweepValues << QString::number(384 + i);
    s.repetitions = 3;
    return s;
}

} // namespace

class TestPlaygroundEngine : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void devicesAndHello();
    void streamsAndStoresPoints();
    void cancelMidway();
    void runnerKilledMidway();
    void fanOutOverTwoRunners();
    void oneOfTwoRunnersKilled();
    void launcherPrefixEnv();
    void launcherPrefixForWhatWasTyped_data();
    void launcherPrefixForWhatWasTyped();
    void launcherPrefixScript();
    void launcherThatCannotStart();
    void badParameterIsNamed();

private:
    RunRecord runToEnd(RunSession &session, const RunSetup &setup, int timeoutMs = 30000)
    {
        return m_fixture->runToEnd(session, setup, timeoutMs);
    }
    std::unique_ptr<testing::RunFixture> m_fixture;
    RunStore *m_store = nullptr;
    qint64 m_paperId = 0;
};

void TestPlaygroundEngine::init()
{
    m_fixture = std::make_unique<testing::RunFixture>();
    m_store = &m_fixture->store;
    m_paperId = m_fixture->paperId;
}

void TestPlaygroundEngine::cleanup()
{
    m_store = nullptr;
    m_fixture.reset();
}

void TestPlaygroundEngine::devicesAndHello()
{
    RunnerClient client;
    QSignalSpy hello(&client, &RunnerClient::helloReceived);
    QSignalSpy devices(&client, &RunnerClient::devicesReceived);
    QSignalSpy kernels(&client, &RunnerClient::kernelsReceived);
    QVERIFY(client.start(QString(), QStringLiteral(PAPERLAB_RUNNER_PATH)));
    client.requestDevices();
    client.requestKernels();
    QVERIFY(devices.wait(10000));
    QCOMPARE(hello.count(), 1);
    QVERIFY(!client.runnerVersion().isEmpty());
    const auto report = devices.first().first().value<DeviceReport>();
    QVERIFY(!report.devices.isEmpty());
    QCOMPARE(report.devices.first().id, QStringLiteral("cpu"));
    if (kernels.isEmpty())
        QVERIFY(kernels.wait(5000));
    const auto list = kernels.first().first().value<QList<KernelInfo>>();
    QVERIFY(std::any_of(list.cbegin(), list.cend(),
                        [](const KernelInfo &k) { return k.id == QLatin1String("flash_attention"); }));
}

void TestPlaygroundEngine::streamsAndStoresPoints()
{
    RunSession session(*m_store);
    session.setLauncher(QString(), QStringLiteral(PAPERLAB_RUNNER_PATH));
    QSignalSpy points(&session, &RunSession::pointAdded);
    QSignalSpy progress(&session, &RunSession::progress);
    QSignalSpy stages(&session, &RunSession::stageChanged);
    const RunRecord run = runToEnd(session, tinySetup());
    QCOMPARE(run.status, RunStatus::Finished);
    QVERIFY2(run.message.isEmpty(), qPrintable(run.message));
    QCOMPARE(points.count(), 3);
    QVERIFY(progress.count() >= 1);
    // The runner's words about what it is doing reach the session (the GPU's ceiling probe
    // says so the same way).
    QVERIFY(!stages.isEmpty());
    QCOMPARE(stages.first().first().toString(), QStringLiteral("running cpu point 1"));
    for (const RunPoint &p : run.points) {
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QVERIFY(p.metrics.value(QStringLiteral("time_ms")) > 0);
        QVERIFY(p.metrics.contains(QStringLiteral("rel_l2")));
    }
    QCOMPARE(run.points[2].x, 64.0);

    // Stored: listed under the paper and the kernel, every point back with its metrics.
    const QList<RunRecord> forPaper = m_store->runsForPaper(m_paperId);
    QCOMPARE(forPaper.size(), 1);
    QCOMPARE(m_store->runsForKernel(QStringLiteral("flash_attention")).size(), 1);
    const auto loaded = m_store->load(run.id);
    QVERIFY(loaded);
    QCOMPARE(loaded->status, RunStatus::Finished);
    QCOMPARE(loaded->setup.sweepParam, QStringLiteral("seq_len"));
    QCOMPARE(loaded->setup.sweepValues, tinySetup().sweepValues);
    QCOMPARE(loaded->setup.fixed.value(QStringLiteral("q_heads")), QStringLiteral("2"));
    QVERIFY(!loaded->runnerVersion.isEmpty());
    QCOMPARE(loaded->points.size(), 3);
    QCOMPARE(loaded->points[1].metrics.value(QStringLiteral("time_ms")),
             run.points[1].metrics.value(QStringLiteral("time_ms")));

    // The same process serves a second run.
    const RunRecord again = runToEnd(session, tinySetup({QStringLiteral("8")}));
    QCOMPARE(again.status, RunStatus::Finished);
    QCOMPARE(m_store->runsForPaper(m_paperId).size(), 2);

    m_store->rename(run.id, QStringLiteral("renamed"));
    QCOMPARE(m_store->load(run.id)->name, QStringLiteral("renamed"));
    m_store->remove(run.id);
    QVERIFY(!m_store->load(run.id));
    QCOMPARE(m_store->runsForPaper(m_paperId).size(), 1);
}

void TestPlaygroundEngine::cancelMidway()
{
    RunSession session(*m_store);
    session.setLauncher(QString(), QStringLiteral(PAPERLAB_RUNNER_PATH));
    QSignalSpy ended(&session, &RunSession::runEnded);
    connect(
        &session, &RunSession::pointAdded, &session, [&session] { session.cancel(); }, Qt::SingleShotConnection);
    QVERIFY(session.start(longSetup(), m_paperId));
    QVERIFY(ended.wait(30000));
    const auto run = ended.first().first().value<RunRecord>();
    QCOMPARE(run.status, RunStatus::Cancelled);
    QVERIFY(run.points.size() >= 1);
    QVERIFY(run.points.size() < 40);
    QCOMPARE(m_store->load(run.id)->status, RunStatus::Cancelled);
    QCOMPARE(m_store->load(run.id)->points.size(), run.points.size());

    // Still usable afterwards.
    QCOMPARE(runToEnd(session, tinySetup()).status, RunStatus::Finished);
}

void TestPlaygroundEngine::runnerKilledMidway()
{
    RunSession session(*m_store);
    session.setLauncher(QString(), QStringLiteral(PAPERLAB_RUNNER_PATH));
    QSignalSpy ended(&session, &RunSession::runEnded);
    connect(
        &session, &RunSession::pointAdded, &session,
        [&session] { ::kill(pid_t(session.client()->processId()), SIGKILL); }, Qt::SingleShotConnection);
    QVERIFY(session.start(longSetup(), m_paperId));
    QVERIFY(ended.wait(30000));
    const auto run = ended.first().first().value<RunRecord>();
    QCOMPARE(run.status, RunStatus::Failed);
    QVERIFY2(run.message.contains(QLatin1String("died")), qPrintable(run.message));
    const auto stored = m_store->load(run.id);
    QCOMPARE(stored->status, RunStatus::Failed);
    QCOMPARE(stored->message, run.message);
    QVERIFY(!stored->points.isEmpty());

    // A new run starts a fresh runner.
    QCOMPARE(runToEnd(session, tinySetup()).status, RunStatus::Finished);
}

void TestPlaygroundEngine::fanOutOverTwoRunners()
{
    RunSession single(*m_store);
    single.setLauncher(QString(), QStringLiteral(PAPERLAB_RUNNER_PATH));
    const RunRecord one = runToEnd(single, tinySetup());

    RunSession session(*m_store);
    session.setLanes({RunnerLane{}, RunnerLane{QStringLiteral("env PAPERLAB_TEST_LANE=2"), QString()}},
                     QStringLiteral(PAPERLAB_RUNNER_PATH));
    QSignalSpy progress(&session, &RunSession::progress);
    const RunRecord run = runToEnd(session, tinySetup());
    QVERIFY2(run.status == RunStatus::Finished && run.message.isEmpty(), qPrintable(run.message));
    QCOMPARE(run.points.size(), 3);
    QVERIFY(session.client(0)->processId() != session.client(1)->processId());
    QVERIFY(session.client(1)->commandLine().startsWith(QLatin1String("env PAPERLAB_TEST_LANE=2 ")));
    // Merged into one run: every value once, the accuracy a single runner gives.
    QSet<QString> values;
    for (const RunPoint &p : run.points) {
        values.insert(p.sweepValue);
        const auto same = std::find_if(one.points.cbegin(), one.points.cend(),
                                       [&p](const RunPoint &q) { return q.sweepValue == p.sweepValue; });
        QVERIFY(same != one.points.cend());
        QCOMPARE(p.metrics.value(QStringLiteral("rel_l2")), same->metrics.value(QStringLiteral("rel_l2")));
    }
    QCOMPARE(values.size(), 3);
    QCOMPARE(m_store->load(run.id)->points.size(), 3);
    // Where each runner measured is kept, one environment per lane.
    QCOMPARE(run.environments.size(), 2);
    const auto stored = m_store->load(run.id);
    QCOMPARE(stored->environments.size(), 2);
    for (const RunEnvironment &env : stored->environments) {
        QCOMPARE(env.device, QStringLiteral("cpu"));
        QVERIFY(!env.hostCpu.isEmpty());
        QVERIFY(env.hostCores > 0);
        QVERIFY(env.ceilings.isEmpty()); // the CPU reference has none
        QCOMPARE(env.repetitions, tinySetup().repetitions);
        QVERIFY(!env.l2Flush);
    }
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toInt(), progress.last().at(1).toInt());
}

void TestPlaygroundEngine::oneOfTwoRunnersKilled()
{
    RunSession session(*m_store);
    session.setLanes({RunnerLane{}, RunnerLane{}}, QStringLiteral(PAPERLAB_RUNNER_PATH));
    QSignalSpy ended(&session, &RunSession::runEnded);
    connect(
        &session, &RunSession::pointAdded, &session,
        [&session] { ::kill(pid_t(session.client(1)->processId()), SIGKILL); }, Qt::SingleShotConnection);
    // Eight values, four per runner: runner 2 is killed at the run's first point.
    RunSetup setup = tinySetup({});
    for (int i = 0; i < 8; ++i)
        setup.sweepValues << QString::number(256 + 32 * i);
    QVERIFY(session.start(setup, m_paperId));
    QVERIFY(ended.wait(60000));
    const auto run = ended.first().first().value<RunRecord>();
    // The other runner's points are kept; the message names the runner and what it lost.
    QCOMPARE(run.status, RunStatus::Finished);
    QVERIFY2(run.message.contains(QLatin1String("runner 2 of 2")), qPrintable(run.message));
    QVERIFY2(run.message.contains(QLatin1String("died")), qPrintable(run.message));
    QVERIFY2(run.message.contains(QLatin1String("not measured: seq_len = ")), qPrintable(run.message));
    QStringList firstLane;
    for (int i = 0; i < setup.sweepValues.size(); i += 2)
        firstLane << setup.sweepValues[i];
    const auto stored = m_store->load(run.id);
    QCOMPARE(stored->message, run.message);
    int fromFirst = 0;
    for (const RunPoint &p : stored->points)
        fromFirst += firstLane.contains(p.sweepValue) ? 1 : 0;
    QCOMPARE(fromFirst, int(firstLane.size()));
    QVERIFY(stored->points.size() < setup.sweepValues.size());
    // Only the runner that finished could say where it measured.
    QCOMPARE(stored->environments.size(), 1);
}

void TestPlaygroundEngine::launcherPrefixForWhatWasTyped_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("prefix");
    QTest::newRow("empty") << QStringLiteral("  ") << QString();
    QTest::newRow("host") << QStringLiteral("gpu-box") << QStringLiteral("ssh -o BatchMode=yes gpu-box");
    QTest::newRow("user at host") << QStringLiteral(" me@gpu-box.lab ")
                                  << QStringLiteral("ssh -o BatchMode=yes me@gpu-box.lab");
    QTest::newRow("program on PATH") << QStringLiteral("env") << QStringLiteral("env");
    QTest::newRow("ssh written out") << QStringLiteral("ssh -p 2222 gpu-box") << QStringLiteral("ssh -p 2222 gpu-box");
    QTest::newRow("srun") << QStringLiteral("srun --gres=gpu:1") << QStringLiteral("srun --gres=gpu:1");
    QTest::newRow("a path") << QStringLiteral("/opt/wrap") << QStringLiteral("/opt/wrap");
}

void TestPlaygroundEngine::launcherPrefixForWhatWasTyped()
{
    QFETCH(QString, typed);
    QFETCH(QString, prefix);
    QCOMPARE(launcherPrefixFor(typed), prefix);
}

void TestPlaygroundEngine::launcherPrefixEnv()
{
    RunSession session(*m_store);
    session.setLauncher(QStringLiteral("env PAPERLAB_TEST_WRAPPED=1"), QStringLiteral(PAPERLAB_RUNNER_PATH));
    const RunRecord run = runToEnd(session, tinySetup());
    QCOMPARE(run.status, RunStatus::Finished);
    QCOMPARE(run.points.size(), 3);
    QVERIFY(session.client()->commandLine().startsWith(QLatin1String("env PAPERLAB_TEST_WRAPPED=1 ")));
}

void TestPlaygroundEngine::launcherPrefixScript()
{
    // Like ssh: a wrapper that talks on stderr, then runs the command it was given.
    const QString script = m_fixture->dir.filePath(QStringLiteral("wrap.sh"));
    QFile f(script);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\necho 'wrapper: connecting' >&2\nexec \"$@\"\n");
    f.close();
    f.setPermissions(f.permissions() | QFile::ExeOwner);
    RunSession session(*m_store);
    session.setLauncher(QStringLiteral("sh '%1'").arg(script), QStringLiteral(PAPERLAB_RUNNER_PATH));
    const RunRecord run = runToEnd(session, tinySetup());
    QCOMPARE(run.status, RunStatus::Finished);
    QCOMPARE(run.points.size(), 3);
}

void TestPlaygroundEngine::launcherThatCannotStart()
{
    RunSession session(*m_store);
    session.setLauncher(QStringLiteral("/nonexistent/launcher --flag"), QStringLiteral(PAPERLAB_RUNNER_PATH));
    const RunRecord run = runToEnd(session, tinySetup(), 10000);
    QCOMPARE(run.status, RunStatus::Failed);
    QVERIFY2(run.message.contains(QLatin1String("/nonexistent/launcher")), qPrintable(run.message));
}

void TestPlaygroundEngine::badParameterIsNamed()
{
    RunSession session(*m_store);
    session.setLauncher(QString(), QStringLiteral(PAPERLAB_RUNNER_PATH));
    RunSetup setup = tinySetup();
    setup.fixed.insert(QStringLiteral("q_heads"), QStringLiteral("3"));
    setup.fixed.insert(QStringLiteral("kv_heads"), QStringLiteral("2"));
    const RunRecord run = runToEnd(session, setup);
    QCOMPARE(run.status, RunStatus::Failed);
    QVERIFY2(run.message.contains(QLatin1String("kv_heads")), qPrintable(run.message));
    QCOMPARE(runToEnd(session, tinySetup()).status, RunStatus::Finished);
}

QTEST_GUILESS_MAIN(TestPlaygroundEngine)
#include "tst_playground_engine.moc"
