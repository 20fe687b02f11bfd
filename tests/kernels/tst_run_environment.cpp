// The parts of a run's environment that need no GPU: the ceiling cache on disk (written
// whole, read back, refused when damaged), the flat JSON it is read with, NVML missing,
// the CPU's environment, and the p10/p90 spread of a point's timing.
#include "core/timing_spread.h"
#include "runner/ceiling_cache.h"
#include "runner/environment_probe.h"
#include "runner/flat_json.h"
#include "runner/nvml_probe.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace paperlab::kernels;
using namespace paperlab::kernels::runner;

namespace {

CachedCeilings sampleCache()
{
    CachedCeilings c;
    c.uuid = "GPU-0123abcd-0000-1111-2222-333344445555";
    c.driver = "570.124.06";
    c.deviceName = "NVIDIA H200";
    c.measuredAt = "2026-11-30T12:00:00Z";
    c.note = "matrix_int8: not supported";
    c.ceilings = {{"copy", 4212.5, "GB/s", "cudaMemcpy device to device, \"4 GiB\""},
                  {"matrix_fp16", 712.25, "TFLOP/s", "cuBLAS GEMM 8192^3 fp16 in, fp32 accumulate, median of 10"}};
    return c;
}

double metric(const std::vector<Metric> &ms, const std::string &id)
{
    for (const Metric &m : ms)
        if (m.id == id)
            return m.value;
    return -1;
}

} // namespace

class TestRunEnvironment : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_CACHE_HOME", m_dir.path().toUtf8());
    }

    void cacheFileIsPerDeviceAndDriver()
    {
        const std::string file = ceilingCacheFile("GPU-abc", "570.1/x");
        QCOMPARE(QString::fromStdString(file), m_dir.path() + "/paperlab/ceilings/GPU-abc-570.1_x.json");
        QVERIFY(ceilingCacheFile("GPU-abc", "570.1") != ceilingCacheFile("GPU-abc", "575.2"));
    }

    void cacheRoundTripsAndLeavesNoTemporaryFile()
    {
        const std::string file = ceilingCacheFile("GPU-1", "570");
        std::string why;
        QVERIFY2(writeCeilingCache(file, sampleCache(), why), why.c_str());
        // The directory did not exist: it was created, and only the final file is left.
        const QStringList left = QDir(m_dir.path() + "/paperlab/ceilings").entryList(QDir::Files);
        QCOMPARE(left, QStringList{"GPU-1-570.json"});

        const auto back = readCeilingCache(file, why);
        QVERIFY2(back, why.c_str());
        const CachedCeilings want = sampleCache();
        QCOMPARE(back->uuid, want.uuid);
        QCOMPARE(back->driver, want.driver);
        QCOMPARE(back->measuredAt, want.measuredAt);
        QCOMPARE(back->note, want.note);
        QCOMPARE(back->ceilings.size(), want.ceilings.size());
        for (std::size_t i = 0; i < want.ceilings.size(); ++i) {
            QCOMPARE(back->ceilings[i].id, want.ceilings[i].id);
            QCOMPARE(back->ceilings[i].value, want.ceilings[i].value);
            QCOMPARE(back->ceilings[i].unit, want.ceilings[i].unit);
            QCOMPARE(back->ceilings[i].how, want.ceilings[i].how);
        }
    }

    void rewriteReplacesTheWholeFile()
    {
        const std::string file = ceilingCacheFile("GPU-1", "570");
        std::string why;
        CachedCeilings big = sampleCache();
        big.note = std::string(4000, 'x');
        QVERIFY(writeCeilingCache(file, big, why));
        CachedCeilings small = sampleCache();
        small.ceilings.resize(1);
        QVERIFY(writeCeilingCache(file, small, why));
        const auto back = readCeilingCache(file, why);
        QVERIFY2(back, why.c_str()); // no tail of the longer file survives the shorter one
        QCOMPARE(back->ceilings.size(), std::size_t(1));
        QCOMPARE(back->note, sampleCache().note);
    }

    void damagedCacheIsRefusedNamingTheFile_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("truncated") << QByteArray("{\"format\":\"paperlab-ceilings-1\",\"copy\":12")
                                   << "expected ',' or '}'";
        QTest::newRow("not ours") << QByteArray("{\"format\":\"other\"}") << "not a PaperLab ceiling cache";
        QTest::newRow("nested") << QByteArray("{\"format\":{\"a\":1}}") << "expected a string, number or boolean";
        QTest::newRow("no value") << QByteArray("{\"format\":\"paperlab-ceilings-1\",\"ceilings\":\"copy\"}")
                                  << "ceiling 'copy' has no positive value";
        QTest::newRow("empty") << QByteArray() << "expected '{'";
    }

    void damagedCacheIsRefusedNamingTheFile()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, reason);
        const QString path = m_dir.path() + "/damaged.json";
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        std::string why;
        QVERIFY(!readCeilingCache(path.toStdString(), why));
        QVERIFY2(QString::fromStdString(why).startsWith(path), why.c_str());
        QVERIFY2(QString::fromStdString(why).contains(reason), why.c_str());
    }

    void missingCacheSaysNotCachedYet()
    {
        std::string why;
        QVERIFY(!readCeilingCache(ceilingCacheFile("GPU-none", "1"), why));
        QVERIFY(QString::fromStdString(why).contains("not cached yet"));
    }

    void flatJsonReadsEscapes()
    {
        std::string why;
        const auto v = parseFlatJson(" { \"a\" : \"q\\\"b\\\\c\\n\\u0001\", \"n\": -1.5e3, \"t\": true } ", why);
        QVERIFY2(v, why.c_str());
        QCOMPARE(v->at("a"), std::string("q\"b\\c\n\x01"));
        QCOMPARE(v->at("n"), std::string("-1.5e3"));
        QCOMPARE(v->at("t"), std::string("true"));
        QVERIFY(!parseFlatJson("{\"a\":1} trailing", why));
        QVERIFY(QString::fromStdString(why).contains("byte"));
    }

    void missingNvmlLeavesFieldsUnknownAndSaysSo()
    {
        Nvml nvml("libpaperlab-no-such-nvml.so.1");
        QVERIFY(!nvml.available());
        QVERIFY(QString::fromStdString(nvml.note()).contains("NVML unavailable"));
        QVERIFY(nvml.driverVersion().empty());
        const ClockSample s = nvml.sample("GPU-0");
        QVERIFY(s.smClockMhz < 0 && s.memClockMhz < 0 && s.powerWatts < 0);
        QVERIFY(nvml.powerLimitWatts("GPU-0") < 0);
    }

    void cpuEnvironmentHasHostAndNoCeilings()
    {
        QTemporaryDir cache;
        qputenv("XDG_CACHE_HOME", cache.path().toUtf8());
        ProbeOptions options;
        options.warmup = 3;
        options.repetitions = 7;
        bool probed = false;
        options.progress = [&](const std::string &) { probed = true; };
        RunEnvironment env = beginEnvironment(DeviceSelection{}, options);
        finishEnvironment(env);
        QCOMPARE(env.device, std::string("cpu"));
        QVERIFY(!env.hostCpu.empty());
        QCOMPARE(env.deviceName, env.hostCpu);
        QVERIFY(env.hostCores > 0);
        QVERIFY(env.ceilings.empty());
        QVERIFY(!env.ceilingsNote.empty());
        QVERIFY(!probed);
        QCOMPARE(env.warmup, 3);
        QCOMPARE(env.repetitions, 7);
        QVERIFY(!env.l2Flush);
        // Nothing was written to the cache for the CPU.
        QVERIFY(QDir(cache.path()).isEmpty());
    }

    void percentileInterpolates_data()
    {
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<double>("q");
        QTest::addColumn<double>("expected");
        QTest::newRow("p10 of 1..11") << QList<double>{11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10} << 0.1 << 2.0;
        QTest::newRow("p90 of 1..11") << QList<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11} << 0.9 << 10.0;
        QTest::newRow("between ranks") << QList<double>{0, 10} << 0.25 << 2.5;
        QTest::newRow("one value") << QList<double>{4} << 0.9 << 4.0;
    }

    void percentileInterpolates()
    {
        QFETCH(QList<double>, values);
        QFETCH(double, q);
        QFETCH(double, expected);
        QCOMPARE(percentile(std::vector<double>(values.begin(), values.end()), q), expected);
    }

    void speedSpreadComesFromTheOtherEndOfTime()
    {
        // 10 TFLOP of work; the median rep took 2 ms (5000 TFLOP/s).
        const std::vector<double> times = {1, 2, 2, 2, 2, 2, 2, 2, 2, 4, 2};
        std::vector<Metric> metrics = {{"time_ms", 2, "ms"}, {"tflops", 5000, "TFLOP/s"}};
        appendTimingSpread(metrics, times, "tflops");
        const double t10 = metric(metrics, "time_ms_p10"), t90 = metric(metrics, "time_ms_p90");
        QCOMPARE(t10, 2.0);
        QCOMPARE(t90, 2.0);
        const std::vector<double> spread = {1, 1.5, 2, 2, 2, 2, 2, 2, 2, 3, 4};
        metrics = {{"time_ms", 2, "ms"}, {"tflops", 5000, "TFLOP/s"}};
        appendTimingSpread(metrics, spread, "tflops");
        QCOMPARE(metric(metrics, "time_ms_p10"), 1.5);
        QCOMPARE(metric(metrics, "time_ms_p90"), 3.0);
        QCOMPARE(metric(metrics, "tflops_p10"), 10000.0 / 3.0); // slowest tenth of the reps
        QCOMPARE(metric(metrics, "tflops_p90"), 10000.0 / 1.5);
    }

    void timeOnlyKernelsGetTimeSpreadOnly()
    {
        std::vector<Metric> metrics = {{"time_ms", 2, "ms"}};
        appendTimingSpread(metrics, {1, 2, 3}, "time_ms");
        QCOMPARE(metrics.size(), std::size_t(3));
        metrics = {{"time_ms", 2, "ms"}};
        appendTimingSpread(metrics, {}, "gbps");
        QCOMPARE(metrics.size(), std::size_t(1));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestRunEnvironment)
#include "tst_run_environment.moc"
