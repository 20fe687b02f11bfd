// Framing and message round trips of the runner protocol, in process.
#include "runner/protocol.h"

#include <QtTest>

using namespace paperlab::kernels;
using namespace paperlab::kernels::runner;

class TestRunnerProtocol : public QObject {
    Q_OBJECT

private slots:
    void framesSurviveByteByByteDelivery_data()
    {
        QTest::addColumn<int>("payloadSize");
        QTest::newRow("empty") << 0;
        QTest::newRow("one-byte varint") << 127;
        QTest::newRow("two-byte varint") << 128;
        QTest::newRow("three-byte varint") << 20000;
    }

    void framesSurviveByteByByteDelivery()
    {
        QFETCH(int, payloadSize);
        std::string payload(size_t(payloadSize), '\0');
        for (int i = 0; i < payloadSize; ++i)
            payload[size_t(i)] = char(i * 7);
        const std::string stream = encodeFrame(payload) + encodeFrame("tail");
        FrameReader reader;
        std::vector<std::string> frames;
        for (char c : stream) {
            reader.feed(std::string_view(&c, 1));
            while (auto f = reader.next())
                frames.push_back(*f);
        }
        QVERIFY(!reader.failed());
        QCOMPARE(frames.size(), size_t(2));
        QVERIFY(frames[0] == payload);
        QCOMPARE(frames[1], std::string("tail"));
        QCOMPARE(reader.buffered(), size_t(0));
    }

    void oversizedOrEndlessLengthFails()
    {
        FrameReader a;
        a.feed(std::string(11, char(0xff)));
        QVERIFY(!a.next());
        QVERIFY(a.failed());
        FrameReader b;
        b.feed(encodeFrame(std::string()).substr(0, 0) + std::string("\xff\xff\xff\xff\x7f", 5));
        QVERIFY(!b.next());
        QVERIFY(b.failed());
        QVERIFY(QString::fromStdString(b.failure()).contains("exceeds"));
    }

    void runRequestRoundTrip()
    {
        RunRequest r;
        r.kernel = "flash_decoding";
        r.fixed = {{"batch", "16"}, {"dtype", "bf16"}};
        r.sweep = {"kv_len", {"4096", "32768"}};
        r.variants = {"split", "no_split"};
        r.device = "cuda:0";
        r.repetitions = 7;
        r.warmup = 0;
        r.seed = 42;
        pb::ClientMessage m;
        *m.mutable_run() = toProto(r);
        pb::ClientMessage back;
        QVERIFY(decodeMessage(m.SerializeAsString(), back));
        RunRequest r2 = fromProto(back.run());
        QCOMPARE(r2.kernel, r.kernel);
        QVERIFY(r2.fixed == r.fixed);
        QCOMPARE(r2.sweep.param, r.sweep.param);
        QVERIFY(r2.sweep.values == r.sweep.values);
        QVERIFY(r2.variants == r.variants);
        QCOMPARE(r2.device, r.device);
        QCOMPARE(r2.repetitions, 7);
        QCOMPARE(r2.warmup, 0); // explicitly zero, not "unset"
        QCOMPARE(r2.seed, std::uint64_t(42));

        pb::RunRequest empty;
        RunRequest defaults = fromProto(empty);
        QCOMPARE(defaults.warmup, RunRequest{}.warmup);
        QCOMPARE(defaults.repetitions, RunRequest{}.repetitions);
    }

    void pointResultRoundTrip()
    {
        PointResult r;
        r.index = 3;
        r.sweepParam = "seq_len";
        r.sweepValue = "4096";
        r.variant = "flash";
        r.device = "cuda:0";
        r.params.set("seq_len", "4096");
        r.metrics = {{"time_ms", 1.25, "ms"}, {"rel_l2", 3e-4, ""}};
        r.error = RunError{ErrorCode::OutOfMemory, "seq_len", "out of memory"};
        pb::ServerMessage m;
        *m.mutable_point() = toProto(r, "req-1");
        const std::string frame = encodeMessage(m);
        FrameReader reader;
        reader.feed(frame);
        auto payload = reader.next();
        QVERIFY(payload);
        pb::ServerMessage back;
        QVERIFY(decodeMessage(*payload, back));
        QCOMPARE(back.msg_case(), pb::ServerMessage::kPoint);
        QCOMPARE(back.point().request_id(), std::string("req-1"));
        PointResult r2 = fromProto(back.point());
        QCOMPARE(r2.index, 3);
        QCOMPARE(r2.params.text("seq_len"), std::string("4096"));
        QCOMPARE(r2.metrics.size(), size_t(2));
        QCOMPARE(r2.metrics[0].value, 1.25);
        QVERIFY(r2.error);
        QCOMPARE(int(r2.error->code), int(ErrorCode::OutOfMemory));
        QCOMPARE(r2.error->parameter, std::string("seq_len"));
    }

    void environmentRoundTripsInTheSummary()
    {
        RunEnvironment e;
        e.device = "cuda:1";
        e.deviceName = "NVIDIA H200";
        e.uuid = "GPU-1234";
        e.smCount = 132;
        e.driverVersion = "570.124.06";
        e.cudaRuntimeVersion = "12.8";
        e.cudaDriverVersion = "12.8";
        e.hostCpu = "AMD EPYC";
        e.hostCores = 16;
        e.start = ClockSample{1980, 2619, 120.5};
        e.end = ClockSample{1755, -1, 690}; // memory clock unknown at the end
        e.powerLimitWatts = 700;
        e.ceilings = {{"copy", 4210.5, "GB/s", "copy"}, {"matrix_bf16", 702, "TFLOP/s", "gemm"}};
        e.ceilingsMeasuredAt = "2026-11-30T12:00:00Z";
        e.ceilingsCached = true;
        e.warmup = 2;
        e.repetitions = 20;
        e.l2Flush = true;
        e.l2FlushBytes = 4ull * 60 * 1024 * 1024;
        pb::ServerMessage m;
        *m.mutable_summary() = toProto(RunSummary{}, "r");
        *m.mutable_summary()->mutable_environment() = toProto(e);
        pb::ServerMessage back;
        QVERIFY(decodeMessage(m.SerializeAsString(), back));
        const RunEnvironment r = fromProto(back.summary().environment());
        QCOMPARE(r.device, e.device);
        QCOMPARE(r.uuid, e.uuid);
        QCOMPARE(r.smCount, 132);
        QCOMPARE(r.driverVersion, e.driverVersion);
        QCOMPARE(r.start.smClockMhz, 1980.0);
        QCOMPARE(r.end.smClockMhz, 1755.0);
        QCOMPARE(r.end.memClockMhz, -1.0);
        QCOMPARE(r.powerLimitWatts, 700.0);
        QCOMPARE(r.ceilings.size(), std::size_t(2));
        QCOMPARE(r.findCeiling("matrix_bf16")->value, 702.0);
        QVERIFY(r.ceilingsCached);
        QCOMPARE(r.repetitions, 20);
        QVERIFY(r.l2Flush);
        QCOMPARE(r.l2FlushBytes, e.l2FlushBytes);
        // A summary from an older runner has no environment: it reads as an empty one.
        pb::Summary old;
        QVERIFY(!old.has_environment());
        QVERIFY(fromProto(old.environment()).ceilings.empty());
    }

    void kernelSpecCarriesEverything()
    {
        KernelSpec k;
        k.id = "x";
        k.paperKeys = {"flashattention"};
        k.params = {{"n", ParamType::Int, "4", 1, 8, {}, "tokens", "count"}};
        k.variants = {{"cpu", "CPU", DeviceKind::Cpu, ""}};
        k.metrics = {{"time_ms", "Time", "ms"}};
        pb::KernelSpec p = toProto(k);
        QCOMPARE(p.params(0).type(), std::string("int"));
        QCOMPARE(p.params(0).max(), 8.0);
        QCOMPARE(p.variants(0).device(), std::string("cpu"));
        QCOMPARE(p.paper_keys(0), std::string("flashattention"));
    }
};

QTEST_GUILESS_MAIN(TestRunnerProtocol)
#include "tst_runner_protocol.moc"
