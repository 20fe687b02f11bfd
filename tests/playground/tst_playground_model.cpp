// The playground's data side without a runner: the form model over every registry spec,
// sweep values, launcher splitting, paper -> kernel families, runner-JSON import, CSV.
#include "devicedefaults.h"
#include "exporters/runcsvwriter.h"
#include "family.h"
#include "launcher.h"
#include "library.h"
#include "paramformmodel.h"
#include "runjsonimport.h"
#include "runname.h"
#include "runstore.h"
#include "sweep.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::playground;

class TestPlaygroundModel : public QObject {
    Q_OBJECT
private slots:
    void formOverEverySpec_data();
    void formOverEverySpec();
    void sweeps_data();
    void sweeps();
    void launcher();
    void families();
    void importRunnerJsonAndCsv();
    void runCsvIsWrittenByTheOneCsvWriter();
    void speedMetricComesFromTheSpec_data();
    void speedMetricComesFromTheSpec();
    void runsAreNamedByWhatDiffers_data();
    void runsAreNamedByWhatDiffers();
    void sparseCudaDefaultsSuitTheHopperVariant();
};

void TestPlaygroundModel::speedMetricComesFromTheSpec_data()
{
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<QString>("metric");
    // Decoding streams the KV cache: judged by bytes. kv_select_decode and kv_quant_decode
    // share nothing with "flash_decoding" in their ids' spelling that a rule could rely on.
    QTest::newRow("flash_attention") << "flash_attention"
                                     << "tflops";
    QTest::newRow("flash_decoding") << "flash_decoding"
                                    << "gbps";
    QTest::newRow("sage_attention") << "sage_attention"
                                    << "tflops";
    QTest::newRow("kv_quant_decode") << "kv_quant_decode"
                                     << "gbps";
    QTest::newRow("kv_select_decode") << "kv_select_decode"
                                      << "gbps";
    QTest::newRow("block_sparse_attention") << "block_sparse_attention"
                                            << "time_ms";
}

void TestPlaygroundModel::speedMetricComesFromTheSpec()
{
    QFETCH(QString, kernel);
    QFETCH(QString, metric);
    const KernelInfo *k = findLocalKernel(kernel);
    QVERIFY(k);
    QCOMPARE(k->speedMetric, metric);
    bool reported = false;
    for (const MetricInfo &m : k->metrics)
        reported = reported || m.id == k->speedMetric;
    QVERIFY2(reported, "the speed metric is one the kernel reports");
}

void TestPlaygroundModel::runsAreNamedByWhatDiffers_data()
{
    QTest::addColumn<QStringList>("variants");
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("sweep");
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<QString>("changedParam");
    QTest::addColumn<QString>("changedValue");
    QTest::addColumn<QString>("name");
    QTest::newRow("sweep, defaults") << QStringList{"cpu"} << "CPU (float64 reference)"
                                     << "seq_len" << QStringList{"512", "1024", "4096"} << ""
                                     << ""
                                     << "cpu · CPU · seq_len 512–4096";
    QTest::newRow("one point") << QStringList{"flash", "naive"} << "NVIDIA H200"
                               << "" << QStringList{} << ""
                               << ""
                               << "flash, naive · NVIDIA H200";
    QTest::newRow("a changed value") << QStringList{"flash"} << "NVIDIA H200"
                                     << "seq_len" << QStringList{"2048"} << "head_dim"
                                     << "128"
                                     << "flash · NVIDIA H200 · seq_len 2048 · head_dim=128";
    QTest::newRow("the swept one is not repeated") << QStringList{"cpu"} << "CPU"
                                                   << "head_dim" << QStringList{"64", "128"} << "head_dim"
                                                   << "128"
                                                   << "cpu · CPU · head_dim 64–128";
}

void TestPlaygroundModel::runsAreNamedByWhatDiffers()
{
    QFETCH(QStringList, variants);
    QFETCH(QString, device);
    QFETCH(QString, sweep);
    QFETCH(QStringList, values);
    QFETCH(QString, changedParam);
    QFETCH(QString, changedValue);
    QFETCH(QString, name);
    const KernelInfo *k = findLocalKernel(QStringLiteral("flash_attention"));
    QVERIFY(k);
    ParamFormModel form;
    form.setKernel(*k, false);
    RunSetup setup;
    setup.kernel = k->id;
    setup.variants = variants;
    setup.fixed = form.values(); // every parameter, as the playground sends them
    if (!changedParam.isEmpty())
        setup.fixed.insert(changedParam, changedValue);
    setup.sweepParam = sweep;
    setup.sweepValues = values;
    QCOMPARE(defaultRunName(setup, *k, device), name);
}

// The playground lists sparse_tma (first) among the CUDA variants it starts with, and its
// CUDA defaults use the block size that variant walks, so a default run has no refused points.
void TestPlaygroundModel::sparseCudaDefaultsSuitTheHopperVariant()
{
    const KernelInfo *k = findLocalKernel(QStringLiteral("block_sparse_attention"));
    QVERIFY(k);
    QVERIFY(k->variant(QStringLiteral("sparse_tma")));
    const DeviceDefaults d = defaultsFor(*k, true);
    QVERIFY(!d.variants.isEmpty());
    QCOMPARE(d.variants.first(), QStringLiteral("sparse_tma"));
    QVERIFY(d.variants.contains(QStringLiteral("sparse")));
    QCOMPARE(d.values.value(QStringLiteral("block_size")), QStringLiteral("128"));
}

void TestPlaygroundModel::formOverEverySpec_data()
{
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<bool>("cuda");
    QVERIFY(!localKernels().isEmpty());
    for (const KernelInfo &k : localKernels()) {
        QTest::addRow("%s-cpu", qPrintable(k.id)) << k.id << false;
        QTest::addRow("%s-cuda", qPrintable(k.id)) << k.id << true;
    }
}

void TestPlaygroundModel::formOverEverySpec()
{
    QFETCH(QString, kernel);
    QFETCH(bool, cuda);
    const KernelInfo *k = findLocalKernel(kernel);
    QVERIFY(k);
    ParamFormModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setKernel(*k, cuda);
    QCOMPARE(model.rowCount(), k->params.size());
    QVERIFY(!k->variants.isEmpty());
    QVERIFY(!k->metrics.isEmpty());

    for (int row = 0; row < model.rowCount(); ++row) {
        const ParamInfo &p = model.param(row);
        const QString value = model.value(p.name);
        // Every starting value is one the model itself accepts (so the runner will too).
        QVERIFY2(model.setValue(p.name, value), qPrintable(p.name + QStringLiteral("=") + value));
        QCOMPARE(model.data(model.index(row, ParamFormModel::ValueColumn)).toString(), value);
        QCOMPARE(model.data(model.index(row, ParamFormModel::UnitColumn)).toString(), p.unit);
        if (!p.choices.isEmpty()) {
            QVERIFY(!model.setValue(p.name, QStringLiteral("not-a-choice")));
            QVERIFY(model.setData(model.index(row, ParamFormModel::ValueColumn), p.choices.last()));
        } else if (p.type == ParamInfo::Type::Bool) {
            QVERIFY(model.setData(model.index(row, ParamFormModel::ValueColumn), true));
            QCOMPARE(model.value(p.name), QStringLiteral("true"));
        } else if (p.numeric() && hasRange(p)) {
            QVERIFY(!model.setValue(p.name, QString::number(p.maxValue + 1, 'g', 12)));
            QVERIFY(!model.setValue(p.name, QStringLiteral("abc")));
            QVERIFY(model.setValue(p.name, QString::number(p.minValue, 'g', 12)));
        }
    }
    // The device defaults name real parameters, and the sweep makes values.
    const DeviceDefaults d = defaultsFor(*k, cuda);
    for (auto it = d.values.cbegin(); it != d.values.cend(); ++it)
        QVERIFY2(k->param(it.key()), qPrintable(it.key()));
    if (!d.sweepParam.isEmpty()) {
        QVERIFY(k->param(d.sweepParam));
        QVERIFY(!sweepValues(d.sweep, true).values.isEmpty());
    }
    for (const QString &v : d.variants)
        QCOMPARE(k->variant(v)->cuda, cuda);
}

void TestPlaygroundModel::sweeps_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("list");
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::addColumn<int>("steps");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("geometric");
    QTest::newRow("list") << int(SweepSpec::Mode::List) << "512, 1024 2048;4096" << 0.0 << 0.0 << 0
                          << QStringList{"512", "1024", "2048", "4096"} << true;
    QTest::newRow("list-linear") << int(SweepSpec::Mode::List) << "1,2,3,4" << 0.0 << 0.0 << 0
                                 << QStringList{"1", "2", "3", "4"} << false;
    QTest::newRow("linear") << int(SweepSpec::Mode::Linear) << "" << 100.0 << 400.0 << 4
                            << QStringList{"100", "200", "300", "400"} << false;
    QTest::newRow("log") << int(SweepSpec::Mode::Log) << "" << 512.0 << 16384.0 << 6
                         << QStringList{"512", "1024", "2048", "4096", "8192", "16384"} << true;
    QTest::newRow("log-dedup") << int(SweepSpec::Mode::Log) << "" << 1.0 << 2.0 << 5 << QStringList{"1", "2"} << true;
}

void TestPlaygroundModel::sweeps()
{
    QFETCH(int, mode);
    SweepSpec s;
    s.mode = SweepSpec::Mode(mode);
    s.list = QTest::currentDataTag() == QByteArray("list") || mode == 0 ? QString() : QString();
    QFETCH(QString, list);
    QFETCH(double, from);
    QFETCH(double, to);
    QFETCH(int, steps);
    s.list = list;
    s.from = from;
    s.to = to;
    s.steps = steps;
    const SweepValues v = sweepValues(s, true);
    QVERIFY2(v.error.isEmpty(), qPrintable(v.error));
    QTEST(v.values, "expected");
    QTEST(v.geometric, "geometric");

    SweepSpec bad;
    bad.mode = SweepSpec::Mode::Log;
    bad.from = 0;
    bad.to = 10;
    bad.steps = 3;
    QVERIFY(!sweepValues(bad, true).error.isEmpty());
}

void TestPlaygroundModel::launcher()
{
    LaunchCommand local =
        buildLaunch(QString(), QStringLiteral("/opt/paperlab-runner"), {QStringLiteral("--protocol")});
    QCOMPARE(local.program, QStringLiteral("/opt/paperlab-runner"));
    QCOMPARE(local.arguments, QStringList{QStringLiteral("--protocol")});
    LaunchCommand srun = buildLaunch(QStringLiteral(" srun --gres=gpu:1 "), QStringLiteral("paperlab-runner"),
                                     {QStringLiteral("--protocol")});
    QCOMPARE(srun.program, QStringLiteral("srun"));
    QCOMPARE(srun.arguments, (QStringList{"--gres=gpu:1", "paperlab-runner", "--protocol"}));
    LaunchCommand ssh = buildLaunch(QStringLiteral("ssh -o \"ConnectTimeout 5\" gpu-box"), QStringLiteral("r"), {});
    QCOMPARE(ssh.arguments, (QStringList{"-o", "ConnectTimeout 5", "gpu-box", "r"}));
    LaunchCommand single = buildLaunch(QStringLiteral("sh '/tmp/a b/wrap.sh' x\\ y"), QStringLiteral("r"), {});
    QCOMPARE(single.arguments, (QStringList{"/tmp/a b/wrap.sh", "x y", "r"}));
    QString error;
    buildLaunch(QStringLiteral("ssh \"gpu-box"), QStringLiteral("r"), {}, &error);
    QVERIFY(!error.isEmpty());
}

namespace {

// A paper as a library holds it: kernels find it by arXiv id, else by title.
Paper libraryPaper(const QString &key, const QString &arxivId, const QString &title, const QStringList &topics = {})
{
    Paper p;
    p.key = key;
    p.arxivId = arxivId;
    p.title = title;
    p.topicList = topics;
    return p;
}

} // namespace

void TestPlaygroundModel::families()
{
    auto ids = [](const QList<PaperKernel> &list) {
        QStringList out;
        for (const PaperKernel &p : list)
            out << p.kernelId + (p.own ? QStringLiteral("(own)") : QString());
        return out;
    };
    // A paper with its own kernel gets it first, marked own; kernels of the same family come
    // after it, not marked own (the combo box labels them "related"), so the user can compare.
    QCOMPARE(ids(kernelsForPaper(libraryPaper("flashattention", "2205.14135", "FlashAttention"))),
             QStringList{"flash_attention(own)"});
    const Paper flashDecoding =
        libraryPaper("FlashDecoding", {}, "Flash-Decoding for long-context inference", {"KV Cache"});
    QCOMPARE(ids(kernelsForPaper(flashDecoding)),
             (QStringList{"flash_decoding(own)", "kv_quant_decode", "kv_select_decode"}));
    // SKVQ (and KIVI) now have their own kernel; FlashDecoding, the fp16-cache baseline, is related.
    const QList<PaperKernel> kv = kernelsForPaper(libraryPaper(
        "SKVQ", {}, "SKVQ: Sliding-window Key and Value Cache Quantization for Large Language Models", {"KV Cache"}));
    QCOMPARE(ids(kv), (QStringList{"kv_quant_decode(own)", "flash_decoding", "kv_select_decode"}));
    QCOMPARE(kv.first().reason, QStringLiteral("SKVQ → kv_quant_decode")); // own: which kernel stands for it
    QVERIFY(kv.first().variant.isEmpty());
    QVERIFY(kv.last().reason.contains(QLatin1String("KV Cache")));
    QCOMPARE(ids(kernelsForPaper(libraryPaper("KIVI", "2402.02750", "KIVI", {"Quantization"}))),
             (QStringList{"kv_quant_decode(own)", "sage_attention"}));
    QCOMPARE(ids(kernelsForPaper(libraryPaper("SageAttention", "2410.02367", "SageAttention", {"Quantization"}))),
             (QStringList{"sage_attention(own)", "kv_quant_decode"}));
    // A paper listed by a kernel and in its family is not offered that kernel twice.
    QCOMPARE(ids(kernelsForPaper(libraryPaper("moba", "2502.13189", "MoBA", {"attention_sparsity"}))),
             (QStringList{"block_sparse_attention(own)", "kv_select_decode"}));
    QCOMPARE(ids(kernelsForPaper(libraryPaper("XAttention", "2503.16428", "XAttention"))),
             QStringList{"block_sparse_attention(own)"});
    // An attention-sparsity paper without a kernel of its own gets the sparse kernels as related,
    // and no longer the dense baseline.
    const QList<PaperKernel> sparse =
        kernelsForPaper(libraryPaper("MInference", "2407.02490", "MInference 1.0", {"attention_sparsity"}));
    QCOMPARE(ids(sparse), (QStringList{"block_sparse_attention", "kv_select_decode"}));
    // The KV-selection papers have their own kernel, whatever the library keys them.
    for (const char *id : {"2309.17453", "2306.14048", "2401.06104", "2404.14469", "2406.10774", "2408.07092"})
        QCOMPARE(ids(kernelsForPaper(libraryPaper("any-key", QString::fromLatin1(id), "Any title"))),
                 QStringList{"kv_select_decode(own)"});
    QVERIFY(sparse.first().reason.contains(QLatin1String("attention_sparsity")));
    QVERIFY(kernelsForPaper(libraryPaper("SomeSurvey", {}, "Some Survey", {"Survey"})).isEmpty());
    // Every registry kernel has a family, so every kernel can be offered as related.
    for (const KernelInfo &k : localKernels())
        QVERIFY2(!kernelFamilies(k).isEmpty(), qPrintable(k.id));
}

void TestPlaygroundModel::importRunnerJsonAndCsv()
{
    // The real runner's --json output, on tiny CPU shapes.
    QProcess runner;
    runner.start(QStringLiteral(PAPERLAB_RUNNER_PATH),
                 {"--kernel", "flash_decoding", "--device", "cpu", "--sweep", "kv_len=64,128", "--set", "q_heads=4",
                  "--set", "kv_heads=2", "--reps", "1", "--json"});
    QVERIFY(runner.waitForFinished(30000));
    const QByteArray json = runner.readAllStandardOutput();
    const ImportedRuns imported = importRunnerJson(json, QStringLiteral("cpu check"));
    QVERIFY2(imported.error.isEmpty(), qPrintable(imported.error));
    QCOMPARE(imported.runs.size(), 1);
    RunRecord run = imported.runs.first();
    QCOMPARE(run.setup.kernel, QStringLiteral("flash_decoding"));
    QCOMPARE(run.setup.sweepParam, QStringLiteral("kv_len"));
    QCOMPARE(run.points.size(), 2);
    QCOMPARE(run.points[1].x, 128.0);
    QCOMPARE(run.setup.fixed.value(QStringLiteral("q_heads")), QStringLiteral("4"));
    QVERIFY(!run.setup.fixed.contains(QStringLiteral("kv_len")));
    // Where it ran comes along: the host CPU, no ceilings, the repetitions asked for; and
    // every point's spread.
    QCOMPARE(run.environments.size(), 1);
    QCOMPARE(run.environments.first().device, QStringLiteral("cpu"));
    QVERIFY(!run.environments.first().hostCpu.isEmpty());
    QVERIFY(run.environments.first().ceilings.isEmpty());
    QCOMPARE(run.environments.first().repetitions, 1);
    QVERIFY(run.points[0].metrics.contains(QStringLiteral("time_ms_p10")));
    QVERIFY(run.points[0].metrics.contains(QStringLiteral("gbps_p90")));

    // bench.json: several runner outputs under names.
    const QByteArray bench = "{\"fa_hd128\": " + json + ", \"rows\": []}";
    QCOMPARE(importRunnerJson(bench).runs.size(), 1);
    QCOMPARE(importRunnerJson(bench).runs.first().name, QStringLiteral("fa_hd128"));
    QVERIFY(!importRunnerJson("{\"x\": 1}").error.isEmpty());
    QVERIFY(!importRunnerJson("not json").error.isEmpty());
    // From a file, the banner's message names the file, and where the JSON broke.
    QTemporaryDir files;
    const auto written = [&](const char *name, const QByteArray &bytes) {
        QFile file(files.filePath(QLatin1String(name)));
        const bool ok = file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.flush();
        return ok ? file.fileName() : QString();
    };
    const QString broken =
        written("h100-run.json", "{\n  \"kernel\": \"flash_attention\",\n  \"points\": [1, 2,]\n}\n");
    QVERIFY(!broken.isEmpty());
    const QString brokenSaid = importRunnerJsonFile(broken).error;
    QVERIFY2(brokenSaid.startsWith(broken + QStringLiteral(": line 3, column ")) && brokenSaid.contains(u"not JSON"),
             qPrintable(brokenSaid));
    const QString other = written("other.json", "{\"x\": 1}");
    QVERIFY(!other.isEmpty());
    const QString otherSaid = importRunnerJsonFile(other).error;
    QVERIFY2(otherSaid.startsWith(other + QStringLiteral(": no runner output")), qPrintable(otherSaid));

    // Stored like any run.
    QTemporaryDir dir;
    Library library(dir.filePath(QStringLiteral("lib.sqlite")));
    RunStore store(library);
    store.insert(run);
    const auto loaded = store.load(run.id);
    QCOMPARE(loaded->points.size(), 2);
    QCOMPARE(loaded->points[1].metrics.value(QStringLiteral("time_ms_p90")),
             run.points[1].metrics.value(QStringLiteral("time_ms_p90")));
    QCOMPARE(loaded->environments.size(), 1);
    QCOMPARE(loaded->environments.first().hostCpu, run.environments.first().hostCpu);

    const QStringList lines = runToCsv(run).trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].startsWith(QLatin1String("kernel,device,variant,kv_len,")));
    QVERIFY(lines[0].contains(QLatin1String("time_ms")));
    QVERIFY(lines[2].startsWith(QLatin1String("flash_decoding,cpu,cpu,128,")));
}

// The run export is written by the catalog's CSV writer: a runner error text that a
// spreadsheet would run as a formula is neutralised, a CR inside a cell is quoted, and
// negative numbers stay numbers.
void TestPlaygroundModel::runCsvIsWrittenByTheOneCsvWriter()
{
    RunRecord run;
    run.setup.kernel = QStringLiteral("flash_decoding");
    run.setup.sweepParam = QStringLiteral("kv_len");
    RunPoint p;
    p.variant = QStringLiteral("cpu");
    p.sweepValue = QStringLiteral("-1");
    p.metrics.insert(QStringLiteral("delta"), -0.5);
    p.error = QStringLiteral("=HYPERLINK(\"http://x\")\rtrailer");
    run.points << p;
    const QString csv = runToCsv(run);
    QVERIFY2(csv.contains(QLatin1String(",\"'=HYPERLINK(\"\"http://x\"\")\rtrailer\"\r\n")), qPrintable(csv));
    QVERIFY2(csv.contains(QLatin1String("flash_decoding,cpu,cpu,-1,-0.5,")), qPrintable(csv));
}

QTEST_GUILESS_MAIN(TestPlaygroundModel)
#include "tst_playground_model.moc"
