// Measured, not assumed: the speed chart draws the ceilings measured on the run's GPU
// (copy for GB/s, the matrix peak of the run's dtype for TFLOP/s), falls back to the
// datasheet or the user's figure, labelled so, for runs without them (an old index, the
// CPU); p10–p90 error bars where points carry their spread; "% of measured peak" in the
// tooltip; and the run details. The environment comes end to end: runner → RunSession →
// RunStore → chart, and runner JSON → import → RunStore → chart.
#include "chartceiling.h"
#include "runchartview.h"
#include "rundetailsdialog.h"
#include "runfixture.h"
#include "runjsonimport.h"

#include <QTest>
#include <qcustomplot.h>

using namespace paperlab;
using namespace paperlab::playground;

namespace {

RunEnvironment h200()
{
    RunEnvironment e;
    e.device = QStringLiteral("cuda:0");
    e.deviceName = QStringLiteral("NVIDIA H200");
    e.smCount = 132;
    e.hostCpu = QStringLiteral("Intel Xeon");
    e.hostCores = 64;
    e.start = {1980, 3201, 120};
    e.end = {1755, 3201, 690};
    e.powerLimitWatts = 700;
    e.ceilings = {{QStringLiteral("copy"), 4210, QStringLiteral("GB/s"), QStringLiteral("copy")},
                  {QStringLiteral("matrix_fp16"), 700, QStringLiteral("TFLOP/s"), QStringLiteral("gemm")},
                  {QStringLiteral("matrix_bf16"), 720, QStringLiteral("TFLOP/s"), QStringLiteral("gemm")}};
    e.ceilingsMeasuredAt = QStringLiteral("2026-11-30T12:00:00Z");
    e.warmup = 2;
    e.repetitions = 20;
    e.l2Flush = true;
    e.l2FlushBytes = 240ll << 20;
    return e;
}

// One flash run over three sequence lengths: 350 TFLOP/s, 1500 GB/s, with or without spread.
RunRecord gpuRun(bool withEnvironment, bool withSpread, const QString &dtype = {})
{
    RunRecord r;
    r.id = 1;
    r.name = QStringLiteral("flash on H200");
    r.deviceName = QStringLiteral("NVIDIA H200");
    r.setup.kernel = QStringLiteral("flash_attention");
    r.setup.device = QStringLiteral("cuda:0");
    r.setup.sweepParam = QStringLiteral("seq_len");
    if (!dtype.isEmpty())
        r.setup.fixed.insert(QStringLiteral("dtype"), dtype);
    for (int i = 0; i < 3; ++i) {
        RunPoint p;
        p.index = i;
        p.variant = QStringLiteral("flash");
        p.x = 1024 << i;
        p.sweepValue = QString::number(p.x);
        p.metrics = {{QStringLiteral("tflops"), 350}, {QStringLiteral("gbps"), 1500}, {QStringLiteral("time_ms"), 2}};
        if (withSpread)
            p.metrics.insert({{QStringLiteral("tflops_p10"), 300},
                              {QStringLiteral("tflops_p90"), 360},
                              {QStringLiteral("time_ms_p10"), 1.9},
                              {QStringLiteral("time_ms_p90"), 2.3}});
        r.points << p;
    }
    if (withEnvironment)
        r.environments << h200();
    return r;
}

} // namespace

class TestPlaygroundCeilings : public QObject {
    Q_OBJECT

private slots:
    void measuredCeilingOfTheRunsDtype_data()
    {
        QTest::addColumn<QString>("metric");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("label");
        QTest::newRow("copy") << "gbps"
                              << "" << 4210.0 << "measured on NVIDIA H200: 4.21 TB/s copy";
        QTest::newRow("fp16 by default") << "tflops"
                                         << "" << 700.0 << "measured on NVIDIA H200: 700 TFLOP/s fp16 matrix";
        QTest::newRow("bf16 run") << "tflops"
                                  << "bf16" << 720.0 << "measured on NVIDIA H200: 720 TFLOP/s bf16 matrix";
        QTest::newRow("no roof for time") << "time_ms"
                                          << "" << 0.0 << "";
    }

    void measuredCeilingOfTheRunsDtype()
    {
        QFETCH(QString, metric);
        QFETCH(QString, dtype);
        QFETCH(double, value);
        QFETCH(QString, label);
        RunChartView chart(RunChartView::Kind::Speed);
        chart.setKernel(*findLocalKernel(QStringLiteral("flash_attention")));
        chart.setCeiling(989, 4800); // the datasheet's: the measured one wins
        chart.setRuns({gpuRun(true, true, dtype)});
        chart.setMetric(metric);
        QCOMPARE(chart.ceiling(), value);
        QCOMPARE(chart.ceilingLabel(), label);
    }

    void runWithoutEnvironmentDrawsTheFallback_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("percent");
        QTest::newRow("datasheet") << QString() << "datasheet: 989 TFLOP/s"
                                   << "35% of peak (";
        QTest::newRow("typed") << "your entry"
                               << "your entry: 500 TFLOP/s"
                               << "70% of peak (";
    }

    void runWithoutEnvironmentDrawsTheFallback()
    {
        QFETCH(QString, source);
        QFETCH(QString, label);
        QFETCH(QString, percent);
        RunChartView chart(RunChartView::Kind::Speed);
        chart.setKernel(*findLocalKernel(QStringLiteral("flash_attention")));
        chart.setMetric(QStringLiteral("tflops"));
        chart.setRuns({gpuRun(false, false)}); // stored before environments were
        chart.setCeiling(source.isEmpty() ? 989 : 500, 4800, source);
        QCOMPARE(chart.ceiling(), source.isEmpty() ? 989.0 : 500.0);
        QCOMPARE(chart.ceilingLabel(), label);
        QCOMPARE(chart.pointCount(), 3);
        QVERIFY2(chart.pointToolTip(0, 0).contains(percent + label), qPrintable(chart.pointToolTip(0, 0)));
    }

    void errorBarsOnlyWithSpread()
    {
        RunChartView chart(RunChartView::Kind::Speed);
        chart.setKernel(*findLocalKernel(QStringLiteral("flash_attention")));
        chart.setMetric(QStringLiteral("tflops"));
        chart.setRuns({gpuRun(true, false)});
        QCOMPARE(chart.errorBarCount(), 0);
        chart.setRuns({gpuRun(true, true)});
        QCOMPARE(chart.errorBarCount(), 3);
        auto *bars = qobject_cast<QCPErrorBars *>(chart.plot()->plottable(1));
        QVERIFY(bars);
        QCOMPARE(bars->data()->at(0).errorMinus, 50.0); // 350 - p10 300
        QCOMPARE(bars->data()->at(0).errorPlus, 10.0);  // p90 360 - 350
        // The y axis leaves room for the bars' tops.
        QVERIFY(chart.plot()->yAxis->range().upper >= 360);
        chart.setMetric(QStringLiteral("gbps")); // these points carry no GB/s spread
        QCOMPARE(chart.errorBarCount(), 0);
    }

    void tooltipSaysPercentOfMeasuredPeak()
    {
        RunChartView chart(RunChartView::Kind::Speed);
        chart.setKernel(*findLocalKernel(QStringLiteral("flash_attention")));
        chart.setMetric(QStringLiteral("tflops"));
        chart.setRuns({gpuRun(true, true)});
        const QString tip = chart.pointToolTip(0, 1);
        QVERIFY2(tip.contains(QLatin1String("50% of measured peak (measured on NVIDIA H200: 700 TFLOP/s fp16 matrix)")),
                 qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("p10–p90 300–360")), qPrintable(tip));
    }

    void detailsShowTheEnvironment()
    {
        RunRecord run = gpuRun(true, true);
        run.environments << h200();
        run.environments.last().device = QStringLiteral("cuda:1");
        run.environments.last().end.smClockMhz = -1;
        RunDetailsDialog dialog(run);
        const QString text = dialog.text();
        for (const char *expected :
             {"Runner 1 of 2", "Runner 2 of 2", "NVIDIA H200 (cuda:1)", "1980 MHz → 1755 MHz", "1980 MHz → unknown",
              "120 W → 690 W", "700 W", "Repetitions", "20", "on, 240 MiB written before every timed run",
              "4210.0 GB/s", "2026-11-30T12:00:00Z"})
            QVERIFY2(text.contains(QString::fromUtf8(expected)), expected);

        RunDetailsDialog old(gpuRun(false, false));
        QVERIFY(old.text().contains(QLatin1String("stored without its environment")));
    }

    // Runner (protocol) → RunSession → RunStore → chart, on the CPU: host info, no ceilings
    // (the chart keeps the datasheet's), and the spread drawn.
    void cpuRunEndToEnd()
    {
        testing::RunFixture fixture;
        RunSession session(fixture.store);
        session.setLauncher(QString(), QStringLiteral(PAPERLAB_RUNNER_PATH));
        RunSetup setup = testing::tinySetup();
        setup.repetitions = 5;
        const RunRecord run = fixture.runToEnd(session, setup);
        QCOMPARE(run.status, RunStatus::Finished);
        const auto stored = fixture.store.load(run.id);
        QVERIFY(stored);
        QCOMPARE(stored->environments.size(), 1);
        QVERIFY(!stored->environments.first().hostCpu.isEmpty());
        QCOMPARE(stored->environments.first().repetitions, 5);
        QVERIFY(stored->environments.first().ceilings.isEmpty());

        RunChartView chart(RunChartView::Kind::Speed);
        chart.setKernel(*findLocalKernel(QStringLiteral("flash_attention")));
        chart.setCeiling(123, 20);
        chart.setRuns({*stored});
        chart.setMetric(QStringLiteral("time_ms"));
        QCOMPARE(chart.errorBarCount(), 3);
        chart.setMetric(QStringLiteral("tflops"));
        QCOMPARE(chart.errorBarCount(), 3);
        QCOMPARE(chart.ceilingLabel(), QStringLiteral("datasheet: 123 TFLOP/s"));
    }

    // A GPU run's JSON (as `paperlab-runner --json` writes it) → import → RunStore → chart.
    void importedGpuRunEndToEnd()
    {
        const QByteArray json = R"({"kernel": "flash_attention", "device": "cuda:0",
            "environment": {"device": "cuda:0", "device_name": "NVIDIA H200", "uuid": "GPU-1", "sm_count": 132,
              "driver_version": "570.124.06", "cuda_runtime_version": "12.8", "cuda_driver_version": "12.8",
              "host_cpu": "Intel Xeon", "host_cores": 64,
              "start": {"sm_clock_mhz": 1980, "mem_clock_mhz": 3201, "power_w": 120},
              "end": {"sm_clock_mhz": 1755, "mem_clock_mhz": null, "power_w": 690}, "power_limit_w": 700,
              "nvml_note": "", "ceilings": [{"id": "copy", "value": 4210, "unit": "GB/s", "how": "copy"},
                                           {"id": "matrix_bf16", "value": 720, "unit": "TFLOP/s", "how": "gemm"}],
              "ceilings_measured_at": "2026-11-30T12:00:00Z", "ceilings_cached": true, "ceilings_note": "",
              "warmup": 2, "repetitions": 20, "l2_flush": true, "l2_flush_bytes": 251658240},
            "points": [{"index": 0, "variant": "flash", "device": "cuda:0", "sweep_param": "seq_len", "sweep_value": "4096",
              "params": {"seq_len": "4096", "dtype": "bf16"},
              "metrics": {"time_ms": 2, "tflops": 360, "tflops_p10": 340, "tflops_p90": 370}, "error": null}],
            "summary": {"points": 1, "failed": 0, "wall_seconds": 1}})";
        ImportedRuns imported = importRunnerJson(json, QStringLiteral("h200"));
        QVERIFY2(imported.error.isEmpty(), qPrintable(imported.error));
        testing::RunFixture fixture;
        RunRecord run = imported.runs.first();
        QCOMPARE(run.deviceName, QStringLiteral("NVIDIA H200"));
        fixture.store.insert(run);
        const auto stored = fixture.store.load(run.id);
        QCOMPARE(stored->environments.size(), 1);
        QCOMPARE(stored->environments.first().end.memClockMhz, -1.0);

        RunChartView chart(RunChartView::Kind::Speed);
        chart.setKernel(*findLocalKernel(QStringLiteral("flash_attention")));
        chart.setCeiling(989, 4800);
        chart.setRuns({*stored});
        chart.setMetric(QStringLiteral("tflops"));
        QCOMPARE(chart.ceiling(), 720.0); // the bf16 roof: the run's dtype
        QCOMPARE(chart.errorBarCount(), 1);
        QVERIFY(chart.pointToolTip(0, 0).contains(QLatin1String("50% of measured peak")));
    }
};

QTEST_MAIN(TestPlaygroundCeilings)
#include "tst_playground_ceilings.moc"
