// Where each run was measured, in the run store (schema 5): every lane's environment
// round-trips with its ceilings and unknown readings; a run of an index from before
// environments migrates and loads without one; removing a run removes them.

#include "library.h"
#include "runstore.h"
#include "schema.h"
#include "sqlitedb.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

namespace {

RunEnvironment gpuEnvironment(const QString &device)
{
    RunEnvironment e;
    e.device = device;
    e.deviceName = QStringLiteral("NVIDIA H200");
    e.uuid = QStringLiteral("GPU-%1").arg(device);
    e.smCount = 132;
    e.driverVersion = QStringLiteral("570.124.06");
    e.cudaRuntimeVersion = QStringLiteral("12.8");
    e.cudaDriverVersion = QStringLiteral("12.8");
    e.hostCpu = QStringLiteral("Intel Xeon Platinum 8480+");
    e.hostCores = 224;
    e.start = {1980, 3201, 121.5};
    e.end = {1755, -1, 688};
    e.powerLimitWatts = 700;
    e.ceilings = {{QStringLiteral("copy"), 4123.4, QStringLiteral("GB/s"), QStringLiteral("cudaMemcpy")},
                  {QStringLiteral("matrix_bf16"), 702.5, QStringLiteral("TFLOP/s"), QStringLiteral("cuBLAS")}};
    e.ceilingsMeasuredAt = QStringLiteral("2026-11-30T12:00:00Z");
    e.ceilingsCached = true;
    e.warmup = 2;
    e.repetitions = 20;
    e.l2Flush = true;
    e.l2FlushBytes = 4ll * 60 * 1024 * 1024;
    return e;
}

RunRecord sampleRun()
{
    RunRecord r;
    r.setup.kernel = QStringLiteral("flash_attention");
    r.setup.device = QStringLiteral("cuda:0");
    r.deviceName = QStringLiteral("2× NVIDIA H200");
    r.status = RunStatus::Finished;
    RunPoint p;
    p.variant = QStringLiteral("flash");
    p.sweepValue = QStringLiteral("4096");
    p.x = 4096;
    p.metrics = {
        {QStringLiteral("tflops"), 500}, {QStringLiteral("tflops_p10"), 480}, {QStringLiteral("tflops_p90"), 510}};
    r.points << p;
    r.environments = {gpuEnvironment(QStringLiteral("cuda:0")), gpuEnvironment(QStringLiteral("cuda:1"))};
    return r;
}

} // namespace

class TestRunEnvironments : public QObject {
    Q_OBJECT

private slots:
    void everyLaneRoundTrips()
    {
        QTemporaryDir dir;
        Library library(dir.filePath(QStringLiteral("lib.sqlite")));
        RunStore store(library);
        RunRecord run = sampleRun();
        store.insert(run);
        const auto back = store.load(run.id);
        QVERIFY(back);
        QCOMPARE(back->environments.size(), 2);
        QCOMPARE(back->environments[1].device, QStringLiteral("cuda:1"));
        const RunEnvironment &e = back->environments[0];
        const RunEnvironment want = gpuEnvironment(QStringLiteral("cuda:0"));
        QCOMPARE(e.uuid, want.uuid);
        QCOMPARE(e.smCount, 132);
        QCOMPARE(e.driverVersion, want.driverVersion);
        QCOMPARE(e.start.smClockMhz, 1980.0);
        QCOMPARE(e.end.smClockMhz, 1755.0);
        QCOMPARE(e.end.memClockMhz, -1.0); // unknown stays unknown, not 0 MHz
        QCOMPARE(e.powerLimitWatts, 700.0);
        QCOMPARE(e.ceilings.size(), 2);
        QCOMPARE(e.ceiling(QStringLiteral("copy"))->value, 4123.4);
        QCOMPARE(e.ceiling(QStringLiteral("matrix_bf16"))->unit, QStringLiteral("TFLOP/s"));
        QVERIFY(e.ceilingsCached);
        QCOMPARE(e.repetitions, 20);
        QVERIFY(e.l2Flush);
        QCOMPARE(e.l2FlushBytes, want.l2FlushBytes);
        // The spread is stored with the point, like any metric.
        QCOMPARE(back->points[0].metrics.value(QStringLiteral("tflops_p10")), 480.0);
    }

    void laneReportedTwiceKeepsTheLast()
    {
        QTemporaryDir dir;
        Library library(dir.filePath(QStringLiteral("lib.sqlite")));
        RunStore store(library);
        RunRecord run = sampleRun();
        run.environments.clear();
        store.create(run);
        store.setEnvironment(run.id, 0, gpuEnvironment(QStringLiteral("cuda:0")));
        RunEnvironment again = gpuEnvironment(QStringLiteral("cuda:0"));
        again.end.smClockMhz = 1500;
        store.setEnvironment(run.id, 0, again);
        const auto back = store.load(run.id);
        QCOMPARE(back->environments.size(), 1);
        QCOMPARE(back->environments[0].end.smClockMhz, 1500.0);
    }

    void runFromAnIndexBeforeEnvironmentsLoadsWithout()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.sqlite"));
        qint64 runId = 0;
        {
            Library library(path);
            RunStore store(library);
            RunRecord run = sampleRun();
            run.environments.clear();
            runId = store.insert(run);
        }
        {
            // Back to schema 3: the tables of versions 4 (claims), 5 and 6 did not exist yet.
            Database db(path);
            db.exec("DROP TABLE paper_authors; DROP TABLE authors; DROP TABLE run_environments; DROP TABLE "
                    "paper_claims; PRAGMA user_version = 3;");
        }
        Library library(path);
        QCOMPARE(library.database().userVersion(), kSchemaVersion);
        RunStore store(library);
        const auto back = store.load(runId);
        QVERIFY(back);
        QCOMPARE(back->points.size(), 1);
        QVERIFY(back->environments.isEmpty());
    }

    void removingARunRemovesItsEnvironments()
    {
        QTemporaryDir dir;
        Library library(dir.filePath(QStringLiteral("lib.sqlite")));
        RunStore store(library);
        RunRecord run = sampleRun();
        store.insert(run);
        store.remove(run.id);
        auto st = library.database().prepare("SELECT count(*) FROM run_environments");
        QVERIFY(st.step());
        QCOMPARE(st.integer(0), 0);
    }
};

QTEST_GUILESS_MAIN(TestRunEnvironments)
#include "tst_runenvironments.moc"
