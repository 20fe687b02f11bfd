// One sweep over every GPU of a host, the playground's way: RunSession deals a FlashAttention
// sweep over one runner per GPU and merges the points into one stored run, as the form's
// "All N CUDA GPUs" does. The same sweep is first measured by one runner on GPU 0. The merged
// run must hold every point once, with the single run's accuracy figures (inputs are seeded
// by the point's place in the whole sweep, so both measured the same numbers), and every GPU
// must have measured its share. Prints both runs' speeds side by side and the wall times,
// and writes them as JSON for kernels/RESULTS.md.
//
// Label gpu: exits 77 (skipped) on a host with fewer than two CUDA devices.
//   gpu_fanout_check [--runner PATH] [--json FILE] [--reps N] [--sweep v,v,...]
//                    [--variants a,b] [--set name=value ...]
#include "library.h"
#include "runsession.h"
#include "runstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <cstdio>

using namespace paperlab;
using namespace paperlab::playground;

namespace {

struct Options {
    QString runner = QStringLiteral(PAPERLAB_RUNNER_PATH);
    QString json;
    int reps = 20;
    QStringList sweep = {QStringLiteral("1024"), QStringLiteral("2048"),  QStringLiteral("4096"),
                         QStringLiteral("8192"), QStringLiteral("16384"), QStringLiteral("32768")};
    QStringList variants; // empty: every variant the runner offers on CUDA
    QMap<QString, QString> fixed = {{QStringLiteral("head_dim"), QStringLiteral("128")},
                                    {QStringLiteral("tokens"), QStringLiteral("65536")},
                                    {QStringLiteral("model_dim"), QStringLiteral("2048")},
                                    {QStringLiteral("causal"), QStringLiteral("false")}};
};

bool parse(const QStringList &args, Options &o)
{
    for (int i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const bool hasValue = i + 1 < args.size();
        if (a == QLatin1String("--runner") && hasValue)
            o.runner = args[++i];
        else if (a == QLatin1String("--json") && hasValue)
            o.json = args[++i];
        else if (a == QLatin1String("--reps") && hasValue)
            o.reps = args[++i].toInt();
        else if (a == QLatin1String("--sweep") && hasValue)
            o.sweep = args[++i].split(QLatin1Char(','));
        else if (a == QLatin1String("--variants") && hasValue)
            o.variants = args[++i].split(QLatin1Char(','));
        else if (a == QLatin1String("--set") && hasValue && args[i + 1].contains(QLatin1Char('='))) {
            const QString kv = args[++i];
            o.fixed.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        } else {
            std::fprintf(stderr, "gpu_fanout_check: unknown or incomplete option '%s'\n", qPrintable(a));
            return false;
        }
    }
    return o.reps > 0 && !o.sweep.isEmpty();
}

RunRecord runToEnd(RunSession &session, const RunSetup &setup, qint64 paperId, double &seconds)
{
    QSignalSpy ended(&session, &RunSession::runEnded);
    QElapsedTimer clock;
    clock.start();
    if (!session.start(setup, paperId) || !ended.wait(600000))
        return {};
    seconds = clock.elapsed() / 1000.0;
    return ended.first().first().value<RunRecord>();
}

using PointKey = QPair<QString, QString>; // variant, sweep value

QMap<PointKey, RunPoint> byKey(const RunRecord &run)
{
    QMap<PointKey, RunPoint> out;
    for (const RunPoint &p : run.points)
        out.insert({p.variant, p.sweepValue}, p);
    return out;
}

QJsonObject pointJson(const RunPoint &p)
{
    QJsonObject metrics;
    for (auto it = p.metrics.cbegin(); it != p.metrics.cend(); ++it)
        metrics.insert(it.key(), it.value());
    return {{QStringLiteral("variant"), p.variant},
            {QStringLiteral("value"), p.sweepValue},
            {QStringLiteral("device"), p.device},
            {QStringLiteral("metrics"), metrics},
            {QStringLiteral("error"), p.error}};
}

int check(const Options &o)
{
    QTemporaryDir dir;
    Library library(dir.filePath(QStringLiteral("runs.sqlite")));
    RunStore store(library);
    PaperRecord paper;
    paper.key = QStringLiteral("flashattention2");
    paper.title = QStringLiteral("FlashAttention-2");
    const qint64 paperId = library.addPaper(paper);

    RunSession single(store);
    single.setLauncher(QString(), o.runner);
    QSignalSpy listed(&single, &RunSession::devicesChanged);
    single.connectRunner();
    if (!listed.wait(60000)) {
        std::fprintf(stderr, "FAIL: the runner %s did not list its devices\n", qPrintable(o.runner));
        return 1;
    }
    QStringList gpus;
    for (const DeviceEntry &d : single.devices().devices)
        if (d.cuda())
            gpus << d.id;
    std::printf("runner %s: %lld CUDA device(s)\n", qPrintable(o.runner), qlonglong(gpus.size()));
    if (gpus.size() < 2) {
        std::printf("SKIP: fewer than two CUDA devices (%s)\n", qPrintable(single.devices().note));
        return 77;
    }

    RunSetup setup;
    setup.kernel = QStringLiteral("flash_attention");
    setup.fixed = o.fixed;
    setup.sweepParam = QStringLiteral("seq_len");
    setup.sweepValues = o.sweep;
    setup.variants = o.variants;
    setup.device = gpus.first();
    setup.repetitions = o.reps;

    double oneSeconds = 0, allSeconds = 0;
    const RunRecord one = runToEnd(single, setup, paperId, oneSeconds);

    RunSession fanned(store);
    QList<RunnerLane> lanes;
    for (const QString &gpu : std::as_const(gpus))
        lanes << RunnerLane{QString(), gpu};
    fanned.setLanes(lanes, o.runner);
    // As the form does before a run: the first lane lists the devices the run is named by.
    QSignalSpy fannedListed(&fanned, &RunSession::devicesChanged);
    fanned.connectRunner();
    if (!fannedListed.wait(60000)) {
        std::printf("FAIL: the fanned-out session's runner did not list its devices\n");
        return 1;
    }
    const RunRecord all = runToEnd(fanned, setup, paperId, allSeconds);

    int failures = 0;
    auto fail = [&failures](const QString &why) {
        std::printf("FAIL: %s\n", qPrintable(why));
        ++failures;
    };
    if (one.status != RunStatus::Finished)
        fail(QStringLiteral("the one-GPU run ended %1: %2").arg(runStatusName(one.status), one.message));
    if (all.status != RunStatus::Finished)
        fail(
            QStringLiteral("the %1-GPU run ended %2: %3").arg(gpus.size()).arg(runStatusName(all.status), all.message));

    const auto a = byKey(one), b = byKey(all);
    const auto stored = store.load(all.id);
    if (!stored || stored->points.size() != all.points.size())
        fail(QStringLiteral("the stored run holds %1 points, the session saw %2")
                 .arg(stored ? stored->points.size() : -1)
                 .arg(all.points.size()));
    if (a.size() != one.points.size() || b.size() != all.points.size() || a.keys() != b.keys())
        fail(QStringLiteral("the runs measured different points (%1 vs %2)")
                 .arg(one.points.size())
                 .arg(all.points.size()));
    QMap<QString, int> perGpu;
    for (const RunPoint &p : all.points)
        ++perGpu[p.device];
    for (const QString &gpu : std::as_const(gpus))
        if (perGpu.value(gpu) == 0)
            fail(QStringLiteral("%1 measured no point").arg(gpu));
    // Each GPU says where it measured: one environment per lane, each its own GPU with its
    // measured ceilings.
    QSet<QString> uuids;
    for (const RunEnvironment &env : stored ? stored->environments : QList<RunEnvironment>{}) {
        uuids.insert(env.uuid);
        const MeasuredCeiling *copy = env.ceiling(QStringLiteral("copy"));
        std::printf("%s %s: copy %.0f GB/s, SM clock %.0f -> %.0f MHz\n", qPrintable(env.device), qPrintable(env.uuid),
                    copy ? copy->value : 0.0, env.start.smClockMhz, env.end.smClockMhz);
        if (!copy)
            fail(QStringLiteral("%1 carries no measured copy ceiling: %2").arg(env.device, env.ceilingsNote));
    }
    if (!stored || stored->environments.size() != gpus.size() || uuids.size() != gpus.size())
        fail(QStringLiteral("the stored run has %1 environment(s) from %2 GPU(s) for %3 lanes")
                 .arg(stored ? stored->environments.size() : 0)
                 .arg(uuids.size())
                 .arg(gpus.size()));

    std::printf("\n%-12s %8s  %-8s %12s %12s %8s  %-10s %10s\n", "variant", "seq_len", "gpu", "1 GPU", "fanned",
                "ratio", "metric", "rel_l2");
    QJsonArray points;
    for (auto it = a.cbegin(); it != a.cend(); ++it) {
        const RunPoint &p = it.value();
        const RunPoint q = b.value(it.key());
        const QString metric =
            p.metrics.contains(QStringLiteral("tflops")) ? QStringLiteral("tflops") : QStringLiteral("time_ms");
        const double s1 = p.metrics.value(metric), s2 = q.metrics.value(metric);
        const double l2a = p.metrics.value(QStringLiteral("rel_l2"), -1),
                     l2b = q.metrics.value(QStringLiteral("rel_l2"), -1);
        if (p.error.isEmpty() && q.error.isEmpty() && l2a != l2b)
            fail(QStringLiteral("%1 at seq_len %2: rel_l2 %3 on one GPU, %4 fanned out (same inputs expected)")
                     .arg(p.variant, p.sweepValue)
                     .arg(l2a)
                     .arg(l2b));
        std::printf("%-12s %8s  %-8s %12.1f %12.1f %8.3f  %-10s %10.2e%s\n", qPrintable(p.variant),
                    qPrintable(p.sweepValue), qPrintable(q.device), s1, s2, s1 > 0 ? s2 / s1 : 0.0, qPrintable(metric),
                    l2b,
                    (p.error + q.error).isEmpty() ? "" : qPrintable(QStringLiteral("  error: ") + p.error + q.error));
        points.append(QJsonObject{{QStringLiteral("one_gpu"), pointJson(p)}, {QStringLiteral("fanned"), pointJson(q)}});
    }
    std::printf("\nwall time: one GPU %.1f s, %lld GPUs %.1f s (%.2fx); points per GPU:", oneSeconds,
                qlonglong(gpus.size()), allSeconds, allSeconds > 0 ? oneSeconds / allSeconds : 0.0);
    for (auto it = perGpu.cbegin(); it != perGpu.cend(); ++it)
        std::printf(" %s %d", qPrintable(it.key()), it.value());
    std::printf("\nrun device names: '%s' / '%s'\n", qPrintable(one.deviceName), qPrintable(all.deviceName));

    if (!o.json.isEmpty()) {
        QJsonObject doc{
            {QStringLiteral("kernel"), setup.kernel},       {QStringLiteral("gpus"), QJsonArray::fromStringList(gpus)},
            {QStringLiteral("device_one"), one.deviceName}, {QStringLiteral("device_fanned"), all.deviceName},
            {QStringLiteral("wall_one_s"), oneSeconds},     {QStringLiteral("wall_fanned_s"), allSeconds},
            {QStringLiteral("repetitions"), o.reps},        {QStringLiteral("points"), points}};
        QJsonObject fixed;
        for (auto it = o.fixed.cbegin(); it != o.fixed.cend(); ++it)
            fixed.insert(it.key(), it.value());
        doc.insert(QStringLiteral("fixed"), fixed);
        QFile f(o.json);
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(doc).toJson()) <= 0 || !f.flush())
            fail(QStringLiteral("cannot write %1: %2").arg(o.json, f.errorString()));
    }
    std::printf("%s\n", failures == 0 ? "OK" : "FAILED");
    return failures == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Options options;
    if (!parse(app.arguments(), options))
        return 2;
    try {
        return check(options);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "FAIL: %s\n", e.what());
        return 1;
    }
}
