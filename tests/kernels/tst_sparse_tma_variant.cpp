// The block-sparse kernel's Hopper pipeline variant, sparse_tma: listed first beside the
// older variants, refused by name on a CPU request, and its parameter refusals (block size,
// head dim, dtype, an XAttention threshold that can leave a row empty) named in every build.
#include "core/registry.h"
#include "core/run_executor.h"
#include "point_helpers.h"
#include "sparse/sparse_tma_params.h"

#include <QtTest>

using namespace paperlab::kernels;

namespace {

PointOutcome runTmaPoint(const std::map<std::string, std::string> &set)
{
    return testing::runVariantPoint("block_sparse_attention", "sparse_tma", set);
}

} // namespace

class TestSparseTmaVariant : public QObject {
    Q_OBJECT

private slots:
    void listedFirstBesideTheOthers()
    {
        const KernelSpec *k = findKernel("block_sparse_attention");
        QVERIFY(k);
        QVERIFY(!k->variants.empty());
        QCOMPARE(k->variants.front().id, std::string("sparse_tma"));
        QCOMPARE(int(k->variants.front().device), int(DeviceKind::Cuda));
        for (const char *older : {"sparse", "dense", "sparse_v1", "cpu"})
            QVERIFY2(k->findVariant(older), older);
    }

    // A CPU request naming the CUDA variant is refused by name, not run on the wrong device.
    void cpuRequestRefused()
    {
        RunRequest r;
        r.kernel = "block_sparse_attention";
        r.variants = {"sparse_tma"};
        r.fixed = {{"block_size", "128"}};
        PreparedRun run;
        auto err = prepareRun(r, run);
        QVERIFY(err);
        QCOMPARE(err->parameter, std::string("variants"));
    }

    void withoutCudaNamesTheDevice()
    {
#ifdef PAPERLAB_KERNELS_HAVE_CUDA
        QSKIP("built with CUDA: the point would run on the GPU");
#else
        const PointOutcome o = runTmaPoint({{"block_size", "128"}, {"seq_len", "256"}});
        QVERIFY(o.error);
        QCOMPARE(int(o.error->code), int(ErrorCode::NoDevice));
        QCOMPARE(o.error->parameter, std::string("device"));
#endif
    }

    void refusals_data()
    {
        QTest::addColumn<int>("blockSize");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("dtype");
        QTest::addColumn<int>("selector");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<double>("threshold");
        QTest::addColumn<QString>("parameter"); // empty: accepted
        const int f16 = int(DType::F16), bf16 = int(DType::BF16);
        const int moba = int(BlockSelector::Moba), xattn = int(BlockSelector::XAttention);
        QTest::newRow("moba 128 hd128") << 128 << 128 << f16 << moba << true << 0.9 << "";
        QTest::newRow("xattention 128 hd64 non-causal") << 128 << 64 << f16 << xattn << false << 0.9 << "";
        QTest::newRow("64-token blocks") << 64 << 128 << f16 << moba << true << 0.9 << "block_size";
        QTest::newRow("head dim 96") << 128 << 96 << f16 << moba << true << 0.9 << "head_dim";
        QTest::newRow("bf16") << 128 << 128 << bf16 << moba << true << 0.9 << "dtype";
        QTest::newRow("threshold 0, non-causal") << 128 << 128 << f16 << xattn << false << 0.0 << "threshold";
        QTest::newRow("threshold 0, causal keeps diagonals") << 128 << 128 << f16 << xattn << true << 0.0 << "";
    }

    void refusals()
    {
        QFETCH(int, blockSize);
        QFETCH(int, headDim);
        QFETCH(int, dtype);
        QFETCH(int, selector);
        QFETCH(bool, causal);
        QFETCH(double, threshold);
        QFETCH(QString, parameter);
        AttentionShape s;
        s.qHeads = s.kvHeads = 2;
        s.seqQ = s.seqK = 1024;
        s.headDim = headDim;
        s.causal = causal;
        SparseConfig c;
        c.selector = BlockSelector(selector);
        c.blockSize = blockSize;
        c.threshold = threshold;
        const std::optional<RunError> err = sparseTmaRefusal(s, c, DType(dtype));
        QCOMPARE(err ? QString::fromStdString(err->parameter) : QString(), parameter);
        if (err) {
            QCOMPARE(int(err->code), int(ErrorCode::BadParameter));
            QVERIFY(!err->message.empty());
        }
    }

    // The runner's own point code applies the refusal before it looks for a GPU.
    void pointNamesTheBlockSize()
    {
        const PointOutcome o = runTmaPoint({{"block_size", "64"}, {"seq_len", "256"}});
        QVERIFY(o.error);
        QCOMPARE(o.error->parameter, std::string("block_size"));
        QVERIFY(QString::fromStdString(o.error->message).contains(QLatin1String("sparse_tma walks 128-token blocks")));
    }
};

QTEST_APPLESS_MAIN(TestSparseTmaVariant)
#include "tst_sparse_tma_variant.moc"
