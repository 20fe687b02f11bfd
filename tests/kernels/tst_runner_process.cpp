// The real paperlab-runner binary, spawned as the app will spawn it: CLI listing, the
// protobuf protocol, malformed input, cancellation, and a launcher prefix in front.
#include "runner/protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace paperlab::kernels;
using namespace paperlab::kernels::runner;

namespace {

const QString kRunner = QStringLiteral(PAPERLAB_RUNNER_PATH);

// Talks to one runner process over its stdin/stdout.
class RunnerSession {
public:
    explicit RunnerSession(const QStringList &prefix = {})
    {
        QStringList cmd = prefix;
        cmd << kRunner << "--protocol";
        process.start(cmd.first(), cmd.mid(1));
    }
    ~RunnerSession()
    {
        if (process.state() != QProcess::NotRunning) {
            process.closeWriteChannel();
            if (!process.waitForFinished(5000))
                process.kill();
            process.waitForFinished(1000);
        }
    }

    void send(const pb::ClientMessage &m) { sendRaw(QByteArray::fromStdString(encodeMessage(m))); }
    void sendRaw(const QByteArray &bytes)
    {
        process.write(bytes);
        process.waitForBytesWritten(2000);
    }

    // Next server message, or nothing after `timeoutMs`.
    std::optional<pb::ServerMessage> next(int timeoutMs = 20000)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            if (auto frame = reader.next()) {
                pb::ServerMessage m;
                if (!decodeMessage(*frame, m))
                    return std::nullopt;
                return m;
            }
            if (t.elapsed() > timeoutMs || reader.failed())
                return std::nullopt;
            if (!process.waitForReadyRead(100) && process.state() == QProcess::NotRunning &&
                process.bytesAvailable() == 0)
                return std::nullopt;
            reader.feed(process.readAllStandardOutput().toStdString());
        }
    }

    // Skips progress/points until a message of `kind` arrives.
    std::optional<pb::ServerMessage> until(pb::ServerMessage::MsgCase kind, int timeoutMs = 30000)
    {
        while (auto m = next(timeoutMs))
            if (m->msg_case() == kind)
                return m;
        return std::nullopt;
    }

    QProcess process;
    FrameReader reader;
};

pb::ClientMessage runMessage(const std::string &kernel, std::map<std::string, std::string> fixed, Sweep sweep = {},
                             int reps = 1)
{
    RunRequest r;
    r.kernel = kernel;
    r.fixed = std::move(fixed);
    r.sweep = std::move(sweep);
    r.repetitions = reps;
    r.warmup = 0;
    pb::ClientMessage m;
    *m.mutable_run() = toProto(r);
    m.mutable_run()->set_request_id("t1");
    return m;
}

} // namespace

class TestRunnerProcess : public QObject {
    Q_OBJECT

private slots:
    void listIsJsonWithKernels()
    {
        QProcess p;
        p.start(kRunner, {"--list"});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        auto doc = QJsonDocument::fromJson(p.readAllStandardOutput());
        auto kernels = doc.object()["kernels"].toArray();
        QVERIFY(kernels.size() >= 2);
        QCOMPARE(kernels[0].toObject()["id"].toString(), QString("flash_attention"));
        QVERIFY(!kernels[0].toObject()["params"].toArray().isEmpty());
    }

    void devicesAlwaysIncludeCpu()
    {
        QProcess p;
        p.start(kRunner, {"--devices"});
        QVERIFY(p.waitForFinished(20000));
        auto obj = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        auto devices = obj["devices"].toArray();
        QCOMPARE(devices[0].toObject()["id"].toString(), QString("cpu"));
        if (devices.size() == 1)
            QVERIFY(obj["note"].toString().contains("no CUDA device"));
    }

    void cliRejectsBadParameterByName()
    {
        QProcess p;
        p.start(kRunner, {"--kernel", "flash_attention", "--set", "head_dim=96", "--json"});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        auto err = QJsonDocument::fromJson(p.readAllStandardOutput()).object()["error"].toObject();
        QCOMPARE(err["parameter"].toString(), QString("head_dim"));
    }

    void cliRunsDefaultShapeOnCpu()
    {
        QProcess p;
        p.start(kRunner, {"--kernel", "flash_decoding", "--device", "cpu", "--reps", "1", "--json"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        auto points = QJsonDocument::fromJson(p.readAllStandardOutput()).object()["points"].toArray();
        QCOMPARE(points.size(), 1);
        QVERIFY(points[0].toObject()["metrics"].toObject()["rel_l2"].toDouble() < 1e-12);
    }

    void protocolRunStreamsPointsThenSummary()
    {
        RunnerSession s;
        auto hello = s.next();
        QVERIFY(hello && hello->has_hello());
        QCOMPARE(hello->hello().protocol_version(), kProtocolVersion);

        s.send(runMessage("flash_attention", {{"batch", "1"}}, Sweep{"seq_len", {"16", "48"}}));
        int points = 0;
        std::optional<pb::ServerMessage> m;
        while ((m = s.next()) && !m->has_summary()) {
            QVERIFY2(!m->has_error(), m->DebugString().c_str());
            if (m->has_point()) {
                ++points;
                QCOMPARE(m->point().request_id(), std::string("t1"));
                QVERIFY(!m->point().has_error());
            }
        }
        QVERIFY(m);
        QCOMPARE(points, 2);
        QCOMPARE(m->summary().points(), 2);
        QVERIFY(!m->summary().cancelled());
    }

    // The CLI's JSON names where it ran: the host CPU and no ceilings for the CPU reference,
    // the timing discipline, and every point's spread ordered around its median.
    void cliRunCarriesEnvironmentAndSpread()
    {
        QProcess p;
        p.start(kRunner, {"--kernel", "flash_decoding", "--device", "cpu", "--reps", "3", "--json"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonObject doc = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        const QJsonObject env = doc["environment"].toObject();
        QCOMPARE(env["device"].toString(), QString("cpu"));
        QVERIFY(!env["host_cpu"].toString().isEmpty());
        QVERIFY(env["host_cores"].toInt() > 0);
        QVERIFY(env["ceilings"].toArray().isEmpty());
        QVERIFY(!env["ceilings_note"].toString().isEmpty());
        QCOMPARE(env["repetitions"].toInt(), 3);
        QCOMPARE(env["warmup"].toInt(), 2);
        QCOMPARE(env["l2_flush"].toBool(), false);
        const QJsonObject m = doc["points"].toArray()[0].toObject()["metrics"].toObject();
        for (const char *id : {"time_ms", "gbps"}) {
            const QString base = QString::fromLatin1(id);
            QVERIFY2(m.contains(base + "_p10") && m.contains(base + "_p90"), id);
            QVERIFY(m[base + "_p10"].toDouble() <= m[base].toDouble());
            QVERIFY(m[base].toDouble() <= m[base + "_p90"].toDouble());
        }
    }

    void probeOnCpuHasHostAndNoCeilings()
    {
        QProcess p;
        p.start(kRunner, {"--probe", "--device", "cpu"});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonObject env = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(env["device"].toString(), QString("cpu"));
        QCOMPARE(env["device_name"].toString(), env["host_cpu"].toString());
        QVERIFY(env["ceilings"].toArray().isEmpty());
        QVERIFY(env["start"].toObject()["sm_clock_mhz"].isNull());
    }

    void protocolSummaryCarriesEnvironment()
    {
        RunnerSession s;
        QVERIFY(s.until(pb::ServerMessage::kHello));
        s.send(runMessage("flash_attention", {{"batch", "1"}, {"seq_len", "16"}}, {}, 4));
        auto m = s.until(pb::ServerMessage::kSummary);
        QVERIFY(m);
        QVERIFY(m->summary().has_environment());
        const RunEnvironment env = fromProto(m->summary().environment());
        QCOMPARE(env.device, std::string("cpu"));
        QVERIFY(!env.hostCpu.empty());
        QVERIFY(env.ceilings.empty());
        QCOMPARE(env.repetitions, 4);
        QCOMPARE(env.warmup, 0);
        QVERIFY(env.start.smClockMhz < 0); // unknown stays unknown, not 0 MHz
    }

    void protocolNamesBadParameter()
    {
        RunnerSession s;
        s.send(runMessage("flash_attention", {{"kv_heads", "3"}}));
        auto m = s.until(pb::ServerMessage::kError);
        QVERIFY(m);
        QCOMPARE(m->error().code(), pb::Error::BAD_PARAMETER);
        QCOMPARE(m->error().parameter(), std::string("kv_heads"));
        QCOMPARE(m->error().request_id(), std::string("t1"));
    }

    void survivesMalformedFrames()
    {
        RunnerSession s;
        QVERIFY(s.until(pb::ServerMessage::kHello));
        s.sendRaw(QByteArray::fromStdString(encodeFrame(std::string("\xff\xff\xff\xff\x0f garbage", 13))));
        auto err = s.until(pb::ServerMessage::kError);
        QVERIFY(err);
        QCOMPARE(err->error().code(), pb::Error::MALFORMED_MESSAGE);
        s.sendRaw(QByteArray::fromStdString(encodeFrame(""))); // parses, but asks for nothing
        err = s.until(pb::ServerMessage::kError);
        QVERIFY(err);
        QCOMPARE(err->error().code(), pb::Error::BAD_REQUEST);

        pb::ClientMessage list;
        list.mutable_list_kernels();
        s.send(list); // still serving
        auto kernels = s.until(pb::ServerMessage::kKernels);
        QVERIFY(kernels);
        QVERIFY(kernels->kernels().kernels_size() >= 2);
    }

    void unframeableStreamEndsCleanly()
    {
        RunnerSession s;
        s.sendRaw(QByteArray(64, char(0xff))); // a varint that never ends
        auto err = s.until(pb::ServerMessage::kError);
        QVERIFY(err);
        QCOMPARE(err->error().code(), pb::Error::MALFORMED_MESSAGE);
        QVERIFY(s.process.waitForFinished(5000));
        QCOMPARE(s.process.exitStatus(), QProcess::NormalExit); // no crash
        QCOMPARE(s.process.exitCode(), 3);
    }

    void cancelByMessage()
    {
        RunnerSession s;
        std::vector<std::string> many;
        for (int i = 0; i < 200; ++i)
            many.push_back("256");
        s.send(runMessage("flash_attention", {{"batch", "2"}}, Sweep{"seq_len", many}, 2));
        QVERIFY(s.until(pb::ServerMessage::kPoint));
        pb::ClientMessage cancel;
        cancel.mutable_cancel()->set_request_id("t1");
        s.send(cancel);
        auto summary = s.until(pb::ServerMessage::kSummary);
        QVERIFY(summary);
        QVERIFY(summary->summary().cancelled());
        QVERIFY(summary->summary().points() < 200);
    }

    void closingStdinStopsTheRunner()
    {
        RunnerSession s;
        std::vector<std::string> many(200, "256");
        s.send(runMessage("flash_attention", {}, Sweep{"seq_len", many}, 2));
        QVERIFY(s.until(pb::ServerMessage::kPoint));
        s.process.closeWriteChannel();
        QVERIFY(s.process.waitForFinished(10000));
        QCOMPARE(s.process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(s.process.exitCode(), 0);
    }

    // One float64 point that would take minutes: a Cancel (or stdin closing) must stop it
    // between the reference's tasks, not after it.
    void cancelInterruptsALongPoint_data()
    {
        QTest::addColumn<bool>("closeStdin");
        QTest::newRow("cancel message") << false;
        QTest::newRow("stdin closed") << true;
    }

    void cancelInterruptsALongPoint()
    {
        QFETCH(bool, closeStdin);
        RunnerSession s;
        s.send(runMessage("flash_attention",
                          {{"batch", "1"}, {"q_heads", "4"}, {"head_dim", "128"}, {"seq_len", "16384"}}));
        QVERIFY(s.until(pb::ServerMessage::kProgress));
        QTest::qWait(300); // inside the reference now
        QElapsedTimer t;
        t.start();
        if (closeStdin) {
            s.process.closeWriteChannel();
            QVERIFY(s.process.waitForFinished(20000));
            QCOMPARE(s.process.exitStatus(), QProcess::NormalExit);
            QCOMPARE(s.process.exitCode(), 0);
        } else {
            pb::ClientMessage cancel;
            cancel.mutable_cancel()->set_request_id("t1");
            s.send(cancel);
            auto summary = s.until(pb::ServerMessage::kSummary, 20000);
            QVERIFY(summary);
            QVERIFY(summary->summary().cancelled());
            QCOMPARE(summary->summary().points(), 0); // the unfinished point is not reported
        }
        // The point alone needs minutes of float64 work; a stop between tasks takes moments.
        QVERIFY2(t.elapsed() < 15000, qPrintable(QString::number(t.elapsed())));
    }

    // A point that needs more memory than there is: refused before allocating, naming its
    // parameters and the bytes, as that point's error; the other points and the runner live on.
    void pointTooBigIsRefused()
    {
        RunnerSession s;
        s.send(runMessage("flash_attention", {{"batch", "4096"}, {"q_heads", "4"}}, Sweep{"seq_len", {"1", "131072"}}));
        std::vector<pb::PointResult> points;
        std::optional<pb::ServerMessage> m;
        while ((m = s.next()) && !m->has_summary())
            if (m->has_point())
                points.push_back(m->point());
        QVERIFY(m);
        QCOMPARE(int(points.size()), 2);
        QVERIFY(!points[0].has_error() || points[0].error().code() == pb::Error::UNKNOWN);
        QCOMPARE(points[1].error().code(), pb::Error::OUT_OF_MEMORY);
        const QString message = QString::fromStdString(points[1].error().message());
        QVERIFY2(message.contains("batch=4096") && message.contains("seq_len=131072") && message.contains("TiB") &&
                     message.contains("host memory"),
                 qPrintable(message));
        QCOMPARE(m->summary().failed(), 1);
        pb::ClientMessage list;
        list.mutable_list_kernels();
        s.send(list);
        QVERIFY(s.until(pb::ServerMessage::kKernels));
    }

    void oversizedRequestIdIsNotEchoed()
    {
        RunnerSession s;
        pb::ClientMessage m = runMessage("flash_attention", {});
        const std::string huge(100000, 'x');
        m.mutable_run()->set_request_id(huge);
        s.send(m);
        auto err = s.until(pb::ServerMessage::kError);
        QVERIFY(err);
        QCOMPARE(err->error().code(), pb::Error::BAD_REQUEST);
        QCOMPARE(err->error().parameter(), std::string("request_id"));
        QVERIFY(err->error().request_id().empty());
        QVERIFY(err->error().message().size() < 1000);
    }

    // PyTorch SDPA and FlashInfer are offered where the host has them, and listed with the
    // reason where it does not; asking for one then fails up front with that reason.
    void baselinesSayWhyTheyAreUnavailable_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("expected");
        QTest::newRow("helper missing") << QStringLiteral("/nonexistent/torch_baseline.py")
                                        << QStringLiteral("is missing");
        QTest::newRow("host without torch") << QString() << QStringLiteral("PyTorch");
    }

    void baselinesSayWhyTheyAreUnavailable()
    {
        QFETCH(QString, script);
        QFETCH(QString, expected);
        if (script.isEmpty() && QProcess::execute("python3", {"-c", "import torch"}) == 0)
            QSKIP("this host has PyTorch: its baselines are available");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!script.isEmpty())
            env.insert("PAPERLAB_TORCH_BASELINE", script);
        QProcess list;
        list.setProcessEnvironment(env);
        list.start(kRunner, {"--list", "--json"});
        QVERIFY(list.waitForFinished(60000));
        const auto kernels = QJsonDocument::fromJson(list.readAllStandardOutput()).object()["kernels"].toArray();
        QStringList seen;
        for (const auto &k : kernels)
            for (const auto &v : k.toObject()["variants"].toArray()) {
                const QJsonObject o = v.toObject();
                if (!o["id"].toString().startsWith("torch_") && o["id"].toString() != "flashinfer")
                    continue;
                seen << k.toObject()["id"].toString() + "/" + o["id"].toString();
                const QString why = o["unavailable"].toString();
                QVERIFY2(why.contains(expected) || (script.isEmpty() && why.contains("python3")), qPrintable(why));
            }
        QVERIFY(seen.contains("flash_attention/torch_cudnn"));
        QVERIFY(seen.contains("flash_decoding/torch_flash"));

        QProcess run;
        run.setProcessEnvironment(env);
        run.start(kRunner, {"--kernel", "flash_attention", "--device", "cpu", "--variants", "torch_cudnn"});
        QVERIFY(run.waitForFinished(60000));
        QVERIFY(run.exitCode() != 0);
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QVERIFY2(err.contains("torch_cudnn") && err.contains("unavailable"), qPrintable(err));
    }

    void worksBehindALauncherPrefix_data()
    {
        QTest::addColumn<QStringList>("prefix");
        // Stand-ins for "ssh gpu-box" or "srun --gres=gpu:1": something that execs the runner.
        QTest::newRow("sh -c") << QStringList{"sh", "-c", "exec \"$0\" \"$@\""};
        QTest::newRow("env") << QStringList{"env", "PAPERLAB_WRAPPED=1"};
    }

    void worksBehindALauncherPrefix()
    {
        QFETCH(QStringList, prefix);
        RunnerSession s(prefix);
        QVERIFY(s.until(pb::ServerMessage::kHello));
        pb::ClientMessage devices;
        devices.mutable_list_devices();
        s.send(devices);
        auto m = s.until(pb::ServerMessage::kDevices);
        QVERIFY(m);
        QCOMPARE(m->devices().devices(0).id(), std::string("cpu"));
        s.send(runMessage("flash_decoding", {{"kv_len", "64"}}));
        auto summary = s.until(pb::ServerMessage::kSummary);
        QVERIFY(summary);
        QCOMPARE(summary->summary().failed(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRunnerProcess)
#include "tst_runner_process.moc"
