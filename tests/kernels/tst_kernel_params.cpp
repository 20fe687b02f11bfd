// The registry and request validation: bad requests are rejected with the offending
// parameter named, good ones expand into the expected points.
#include "core/registry.h"
#include "core/run_executor.h"
#include "point_helpers.h"
#include "sage/sage_variants.h"

#include <QtTest>

#include <algorithm>
#include <set>

using namespace paperlab::kernels;

namespace {

// The parameter a CPU run (the request's default device) of one variant is refused on;
// empty when it is accepted.
std::string cpuRunRefusedOn(const std::string &kernel, const std::string &variant)
{
    RunRequest r;
    r.kernel = kernel;
    r.variants = {variant};
    PreparedRun run;
    const auto err = prepareRun(r, run);
    return err ? err->parameter : std::string();
}

} // namespace

class TestKernelParams : public QObject {
    Q_OBJECT

private slots:
    void registryNamesCatalogPapers()
    {
        const KernelSpec *fa = findKernel("flash_attention");
        QVERIFY(fa);
        // Papers are named by arXiv id and title, not by the bundle's keys ("flashattention2").
        QVERIFY(std::any_of(fa->paperKeys.begin(), fa->paperKeys.end(),
                            [](const std::string &ref) { return ref.rfind("2307.08691 FlashAttention-2: ", 0) == 0; }));
        const KernelSpec *fd = findKernel("flash_decoding");
        QVERIFY(fd);
        QCOMPARE(fd->paperKeys.front(),
                 std::string("Flash-Decoding for long-context inference")); // a blog post: no arXiv id
        for (const auto &k : allKernels()) {
            QVERIFY(k.runPoint);
            QVERIFY(k.findVariant("cpu")); // every kernel has its float64 fallback
            for (const auto &p : k.params)
                QVERIFY2(!p.defaultValue.empty(), p.name.c_str());
        }
    }

    // Every paper a kernel names is in the bundled library, by its arXiv id (in the paper's
    // url) or, for one without, by its exact title; each reference starts with an arXiv id
    // or is a title, never a bundle key like "flashattention2".
    void kernelPapersAreBundledPapers()
    {
        std::set<std::string> refs;
        for (const auto &k : allKernels())
            refs.insert(k.paperKeys.begin(), k.paperKeys.end());
        QVERIFY2(refs.size() >= 15, qPrintable(QString::number(refs.size())));
        QStringList bundled;
        QDirIterator it(QStringLiteral(PAPERLAB_DATA_LIBRARY "/meta"), {QStringLiteral("*.prototxt")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            bundled << QString::fromUtf8(f.readAll());
        }
        static const QRegularExpression withId(QStringLiteral(R"(^(\d{4}\.\d{4,5}) (.+)$)"));
        for (const auto &r : refs) {
            const QString ref = QString::fromStdString(r);
            const auto m = withId.match(ref);
            const QString title = m.hasMatch() ? m.captured(2) : ref;
            QVERIFY2(title.contains(QLatin1Char(' ')), qPrintable(ref + QLatin1String(": a title, not a key")));
            const bool found = std::any_of(bundled.cbegin(), bundled.cend(), [&](const QString &text) {
                return (m.hasMatch() && text.contains(m.captured(1))) ||
                       text.contains(QStringLiteral("title: \"%1\"").arg(title));
            });
            QVERIFY2(found, qPrintable(ref));
        }
    }

    void badRequestsNameTheParameter_data()
    {
        QTest::addColumn<QString>("kernel");
        QTest::addColumn<QString>("setName");
        QTest::addColumn<QString>("setValue");
        QTest::addColumn<QString>("sweep");
        QTest::addColumn<QString>("device");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown kernel") << "nope"
                                        << ""
                                        << ""
                                        << ""
                                        << "cpu"
                                        << "kernel";
        QTest::newRow("unknown parameter") << "flash_attention"
                                           << "colour"
                                           << "red"
                                           << ""
                                           << "cpu"
                                           << "colour";
        QTest::newRow("not an integer") << "flash_attention"
                                        << "seq_len"
                                        << "12x"
                                        << ""
                                        << "cpu"
                                        << "seq_len";
        QTest::newRow("out of range") << "flash_attention"
                                      << "seq_len"
                                      << "0"
                                      << ""
                                      << "cpu"
                                      << "seq_len";
        QTest::newRow("not a choice") << "flash_attention"
                                      << "head_dim"
                                      << "96"
                                      << ""
                                      << "cpu"
                                      << "head_dim";
        QTest::newRow("bad dtype") << "flash_attention"
                                   << "dtype"
                                   << "fp8"
                                   << ""
                                   << "cpu"
                                   << "dtype";
        QTest::newRow("bad bool") << "flash_attention"
                                  << "causal"
                                  << "maybe"
                                  << ""
                                  << "cpu"
                                  << "causal";
        QTest::newRow("gqa mismatch") << "flash_attention"
                                      << "kv_heads"
                                      << "3"
                                      << ""
                                      << "cpu"
                                      << "kv_heads";
        QTest::newRow("every sweep value bad") << "flash_attention"
                                               << ""
                                               << ""
                                               << "seq_len=0,abc"
                                               << "cpu"
                                               << "seq_len";
        QTest::newRow("unknown sweep") << "flash_attention"
                                       << ""
                                       << ""
                                       << "depth=1,2"
                                       << "cpu"
                                       << "depth";
        QTest::newRow("decode rows") << "flash_decoding"
                                     << "q_len"
                                     << "8"
                                     << ""
                                     << "cpu"
                                     << "q_len";
        QTest::newRow("kv bits 3") << "kv_quant_decode"
                                   << "bits"
                                   << "3"
                                   << ""
                                   << "cpu"
                                   << "bits";
        QTest::newRow("kv bits 16") << "kv_quant_decode"
                                    << "bits"
                                    << "16"
                                    << ""
                                    << "cpu"
                                    << "bits";
        QTest::newRow("budget over cache") << "kv_select_decode"
                                           << "budget"
                                           << "5000"
                                           << ""
                                           << "cpu"
                                           << "budget";
        QTest::newRow("budget swept only over cache") << "kv_select_decode"
                                                      << ""
                                                      << ""
                                                      << "budget=8192,9000"
                                                      << "cpu"
                                                      << "budget";
        QTest::newRow("zero window") << "kv_select_decode"
                                     << "window"
                                     << "0"
                                     << ""
                                     << "cpu"
                                     << "window";
        QTest::newRow("negative window") << "kv_select_decode"
                                         << "window"
                                         << "-8"
                                         << ""
                                         << "cpu"
                                         << "window";
        QTest::newRow("page size not dividing") << "kv_select_decode"
                                                << "page_size"
                                                << "48"
                                                << ""
                                                << "cpu"
                                                << "page_size";
        QTest::newRow("4-bit page bounds") << "kv_select_decode"
                                           << "bounds_bits"
                                           << "4"
                                           << ""
                                           << "cpu"
                                           << "bounds_bits";
        QTest::newRow("2-bit label cache") << "kv_select_decode"
                                           << "label_bits"
                                           << "2"
                                           << ""
                                           << "cpu"
                                           << "label_bits";
        QTest::newRow("bad device") << "flash_attention"
                                    << ""
                                    << ""
                                    << ""
                                    << "tpu"
                                    << "device";
        QTest::newRow("cuda index") << "flash_attention"
                                    << ""
                                    << ""
                                    << ""
                                    << "cuda:99"
                                    << "device";
    }

    void badRequestsNameTheParameter()
    {
        QFETCH(QString, kernel);
        QFETCH(QString, setName);
        QFETCH(QString, setValue);
        QFETCH(QString, sweep);
        QFETCH(QString, device);
        QFETCH(QString, expected);
        RunRequest r;
        r.kernel = kernel.toStdString();
        r.device = device.toStdString();
        if (!setName.isEmpty())
            r.fixed[setName.toStdString()] = setValue.toStdString();
        if (!sweep.isEmpty()) {
            auto parts = sweep.split('=');
            r.sweep.param = parts[0].toStdString();
            for (const auto &v : parts[1].split(','))
                r.sweep.values.push_back(v.toStdString());
        }
        PreparedRun run;
        auto err = prepareRun(r, run);
        QVERIFY(err.has_value());
        QCOMPARE(QString::fromStdString(err->parameter), expected);
        QVERIFY2(QString::fromStdString(err->message).contains(expected), err->message.c_str());
    }

    // One refused sweep value fails its own points, named; the other values are measured.
    void badSweepValueFailsOnlyItsPoints_data()
    {
        QTest::addColumn<QString>("kernel");
        QTest::addColumn<QString>("fixed"); // name=value;name=value
        QTest::addColumn<QString>("sweep");
        QTest::addColumn<QString>("badValue");
        QTest::addColumn<QString>("parameter");
        QTest::newRow("not a number") << "flash_attention"
                                      << "batch=1;q_heads=2;kv_heads=2"
                                      << "seq_len=32,abc,64"
                                      << "abc"
                                      << "seq_len";
        QTest::newRow("budget over cache") << "kv_select_decode"
                                           << "batch=1;q_heads=2;kv_heads=1;kv_len=256"
                                           << "budget=64,8192"
                                           << "8192"
                                           << "budget";
        QTest::newRow("bit width 3") << "kv_quant_decode"
                                     << "batch=1;q_heads=2;kv_heads=1;kv_len=256;head_dim=64"
                                     << "bits=4,3"
                                     << "3"
                                     << "bits";
    }

    void badSweepValueFailsOnlyItsPoints()
    {
        QFETCH(QString, kernel);
        QFETCH(QString, fixed);
        QFETCH(QString, sweep);
        QFETCH(QString, badValue);
        QFETCH(QString, parameter);
        RunRequest r;
        r.kernel = kernel.toStdString();
        r.device = "cpu";
        r.repetitions = 1;
        for (const QString &kv : fixed.split(';'))
            r.fixed[kv.section('=', 0, 0).toStdString()] = kv.section('=', 1).toStdString();
        r.sweep.param = sweep.section('=', 0, 0).toStdString();
        const QStringList values = sweep.section('=', 1).split(',');
        for (const QString &v : values)
            r.sweep.values.push_back(v.toStdString());
        PreparedRun run;
        const auto refused = prepareRun(r, run);
        QVERIFY2(!refused, refused ? refused->message.c_str() : "");
        std::vector<PointResult> points;
        const RunSummary summary =
            executeRun(run, {nullptr, [&](const PointResult &p) { points.push_back(p); }}, CancelToken{});
        QCOMPARE(int(points.size()), int(values.size() * run.variants.size()));
        QCOMPARE(summary.failed, int(run.variants.size()));
        for (const PointResult &p : points) {
            const bool bad = p.sweepValue == badValue.toStdString();
            QCOMPARE(p.error.has_value(), bad);
            if (bad) {
                QCOMPARE(p.error->parameter, parameter.toStdString());
                QVERIFY2(QString::fromStdString(p.error->message).contains(parameter), p.error->message.c_str());
            } else {
                QVERIFY(!p.metrics.empty());
            }
        }
    }

    void cpuVariantOnlyOnCpu() { QCOMPARE(cpuRunRefusedOn("flash_attention", "flash"), std::string("variants")); }

    // The playground lists the Hopper pipeline beside the older kernels; it is a CUDA variant,
    // so a CPU run asking for it is refused by name rather than run on the wrong device.
    void hopperPipelineVariantListed()
    {
        const KernelSpec *fa = findKernel("flash_attention");
        QVERIFY(fa);
        const VariantSpec *tma = fa->findVariant("flash_tma");
        QVERIFY(tma);
        QCOMPARE(int(tma->device), int(DeviceKind::Cuda));
        QVERIFY(fa->findVariant("flash")); // the earlier kernel stays listed beside it
        QCOMPARE(cpuRunRefusedOn("flash_attention", "flash_tma"), std::string("variants"));
    }

    // SageAttention on the Hopper pipeline is listed first, the older kernels beside it (stored
    // runs keep their meaning); a CPU run asking for it is refused by name.
    void sageTmaVariantListed()
    {
        const KernelSpec *sage = findKernel("sage_attention");
        QVERIFY(sage);
        QCOMPARE(sage->variants.front().id, std::string("sage_tma"));
        QCOMPARE(int(sage->variants.front().device), int(DeviceKind::Cuda));
        for (const char *older : {"sage", "sage_v1", "cpu"})
            QVERIFY2(sage->findVariant(older), older);
        QCOMPARE(cpuRunRefusedOn("sage_attention", "sage_tma"), std::string("variants"));
        QCOMPARE(cpuRunRefusedOn("sage_attention", "cpu"), std::string()); // the request is fine otherwise
    }

    // What sage_tma is not built for is refused before any work, naming the parameter and the
    // variant that runs it; a shape it runs gets as far as the device (none in this build).
    void sageTmaRefusesByName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("parameter");
        QTest::addColumn<QString>("says");
        QTest::newRow("head dim 64") << "head_dim"
                                     << "64"
                                     << "head_dim"
                                     << "sage and sage_v1";
        QTest::newRow("per token") << "granularity"
                                   << "per_token"
                                   << "granularity"
                                   << "sage and sage_v1";
        QTest::newRow("no smoothing") << "smooth_k"
                                      << "false"
                                      << "smooth_k"
                                      << "sage and sage_v1";
#ifndef PAPERLAB_KERNELS_HAVE_CUDA
        QTest::newRow("runs: no device here") << "causal"
                                              << "true"
                                              << "device"
                                              << "without CUDA";
#endif
    }

    void sageTmaRefusesByName()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, parameter);
        QFETCH(QString, says);
        std::map<std::string, std::string> set{{"head_dim", "128"}, {"seq_len", "77"}};
        set[name.toStdString()] = value.toStdString();
        const PointOutcome out = testing::runVariantPoint("sage_attention", "sage_tma", set);
        QVERIFY(out.error);
        QCOMPARE(QString::fromStdString(out.error->parameter), parameter);
        QVERIFY2(QString::fromStdString(out.error->message).contains(says), out.error->message.c_str());
        QVERIFY(out.metrics.empty());
    }

    // The refusal rules themselves, for the one case a parameter set cannot express (the
    // runner's sage kernel has one seq_len): unequal lengths, named by causal or seq_len.
    void sageTmaRefusesUnequalLengths()
    {
        AttentionShape s{1, 2, 2, 100, 200, 128, true, 0};
        auto err = sageTmaRefusal(s, false, true);
        QVERIFY(err);
        QCOMPARE(err->parameter, std::string("causal"));
        s.causal = false;
        err = sageTmaRefusal(s, false, true);
        QVERIFY(err);
        QCOMPARE(err->parameter, std::string("seq_len"));
        s.seqK = 100;
        QVERIFY(!sageTmaRefusal(s, false, true));
    }

    void sweepExpandsToPoints()
    {
        RunRequest r;
        r.kernel = "flash_attention";
        r.fixed = {{"tokens", "256"}, {"model_dim", "128"}, {"head_dim", "64"}};
        r.sweep = {"seq_len", {"32", "64", "128"}};
        r.repetitions = 1;
        r.warmup = 0;
        PreparedRun run;
        QVERIFY(!prepareRun(r, run));
        QCOMPARE(run.points.size(), size_t(3));
        QCOMPARE(run.variants, std::vector<std::string>{"cpu"});
        std::vector<PointResult> results;
        CancelToken cancel;
        RunSummary s = executeRun(run, {nullptr, [&](const PointResult &p) { results.push_back(p); }}, cancel);
        QCOMPARE(s.points, 3);
        QCOMPARE(s.failed, 0);
        QCOMPARE(results[2].sweepValue, std::string("128"));
        for (const auto &p : results) {
            QVERIFY(!p.error);
            for (const auto &m : p.metrics)
                if (m.id == "rel_l2")
                    QVERIFY(m.value < 1e-12); // blocked float64 vs the direct formula
        }
    }

    void cancelledRunStopsEarly()
    {
        RunRequest r;
        r.kernel = "flash_attention";
        r.sweep = {"seq_len", {"32", "64", "128", "256"}};
        r.repetitions = 1;
        PreparedRun run;
        QVERIFY(!prepareRun(r, run));
        CancelToken cancel;
        int seen = 0;
        RunSummary s = executeRun(run,
                                  {nullptr,
                                   [&](const PointResult &) {
                                       if (++seen == 1)
                                           cancel.cancel();
                                   }},
                                  cancel);
        QVERIFY(s.cancelled);
        QCOMPARE(s.points, 1);
    }
};

QTEST_GUILESS_MAIN(TestKernelParams)
#include "tst_kernel_params.moc"
