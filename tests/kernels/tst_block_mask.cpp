// The block mask a block-sparse run can attach to its points: it survives the protocol,
// comes only when asked for, has the shape of the run's blocks and the density it reports.
#include "core/run_executor.h"
#include "runner/protocol.h"

#include <QtTest>

using namespace paperlab::kernels;
using namespace paperlab::kernels::runner;

class TestBlockMask : public QObject {
    Q_OBJECT

private:
    static std::vector<PointResult> runTiny(bool wantMask, const std::string &selector)
    {
        RunRequest req;
        req.kernel = "block_sparse_attention";
        // One batch, one head: head 0's mask is the whole mask, so its density is the metric's.
        req.fixed = {{"batch", "1"},       {"q_heads", "1"},       {"head_dim", "64"},
                     {"block_size", "64"}, {"selector", selector}, {"top_k", "2"}};
        req.sweep = {"seq_len", {"256", "512"}};
        req.repetitions = 1;
        req.warmup = 0;
        req.wantMask = wantMask;
        PreparedRun run;
        if (auto err = prepareRun(req, run))
            qFatal("%s", err->message.c_str());
        std::vector<PointResult> points;
        RunCallbacks cb;
        cb.point = [&](const PointResult &r) { points.push_back(r); };
        CancelToken never;
        executeRun(run, cb, never);
        return points;
    }

    static double metric(const PointResult &r, const std::string &id)
    {
        for (const auto &m : r.metrics)
            if (m.id == id)
                return m.value;
        return -1;
    }

private slots:
    void maskRoundTripsThroughProtocol()
    {
        RunRequest req;
        req.kernel = "block_sparse_attention";
        req.wantMask = true;
        QVERIFY(fromProto(toProto(req)).wantMask);
        QVERIFY(!fromProto(toProto(RunRequest{})).wantMask);

        PointResult r;
        r.variant = "cpu";
        r.mask = BlockMaskImage{3, 4, {1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1}};
        pb::PointResult wire;
        QVERIFY(wire.ParseFromString(toProto(r, "req-1").SerializeAsString()));
        const PointResult back = fromProto(wire);
        QVERIFY(back.mask.has_value());
        QCOMPARE(back.mask->rows, 3);
        QCOMPARE(back.mask->cols, 4);
        QVERIFY(back.mask->bits == r.mask->bits);

        // A point without a mask stays without one on the other side.
        PointResult plain;
        QVERIFY(!fromProto(toProto(plain, "req-2")).mask.has_value());
    }

    void cpuRunAttachesMaskOnlyWhenAsked_data()
    {
        QTest::addColumn<QString>("selector");
        QTest::newRow("moba") << "moba";
        QTest::newRow("xattention") << "xattention";
    }

    void cpuRunAttachesMaskOnlyWhenAsked()
    {
        QFETCH(QString, selector);
        for (const PointResult &r : runTiny(false, selector.toStdString()))
            QVERIFY(!r.mask.has_value());

        const std::vector<PointResult> points = runTiny(true, selector.toStdString());
        QCOMPARE(points.size(), size_t(2));
        for (const PointResult &r : points) {
            QVERIFY2(!r.error, r.error ? r.error->message.c_str() : "");
            QVERIFY(r.mask.has_value());
            const int blocks = std::stoi(r.params.text("seq_len")) / 64;
            QCOMPARE(r.mask->rows, blocks);
            QCOMPARE(r.mask->cols, blocks);
            QCOMPARE(r.mask->bits.size(), size_t(blocks) * size_t(blocks));
            // Causal: density counts kept blocks over the visible ones (j <= i).
            double kept = 0, visible = 0;
            for (int i = 0; i < blocks; ++i)
                for (int j = 0; j <= i; ++j) {
                    visible += 1;
                    kept += r.mask->bits[size_t(i) * blocks + j] ? 1 : 0;
                }
            QCOMPARE(kept / visible, metric(r, "density"));
        }
    }
};

QTEST_GUILESS_MAIN(TestBlockMask)
#include "tst_block_mask.moc"
