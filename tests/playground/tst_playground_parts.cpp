// The playground's parts, each built alone (no PlaygroundWidget, no runner): the sweep
// editor, the variant picker, the device panel, the chart area with its overlays and the
// run history panel over a real SQLite run store.
#include "chartarea.h"
#include "devicepanel.h"
#include "library.h"
#include "runhistorypanel.h"
#include "sweepeditor.h"
#include "variantpicker.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

using namespace paperlab;
using namespace paperlab::playground;

namespace {

// A made-up kernel: the parts must work from the spec alone, whatever the id says.
KernelInfo testKernel(const QString &id, const QString &speedMetric)
{
    KernelInfo k;
    k.id = id;
    k.displayName = QStringLiteral("Test kernel");
    k.speedMetric = speedMetric;
    ParamInfo seq;
    seq.name = QStringLiteral("seq_len");
    seq.defaultValue = QStringLiteral("128");
    ParamInfo causal;
    causal.name = QStringLiteral("causal");
    causal.type = ParamInfo::Type::Bool;
    ParamInfo scale;
    scale.name = QStringLiteral("scale");
    scale.type = ParamInfo::Type::Float;
    k.params = {seq, causal, scale};
    k.variants = {VariantInfo{QStringLiteral("cpu_ref"), QStringLiteral("CPU reference"), false, {}, {}},
                  VariantInfo{QStringLiteral("fast"), QStringLiteral("Fast"), true, {}, {}},
                  VariantInfo{QStringLiteral("vendor"), QStringLiteral("Vendor library"), true, {}, {}}};
    return k;
}

} // namespace

class TestPlaygroundParts : public QObject {
    Q_OBJECT
private slots:
    void sweepEditorOffersNumericParameters();
    void sweepEditorValues_data();
    void sweepEditorValues();
    void variantPickerSaysWhyAVariantCannotRun();
    void devicePanelDealsAllGpusOverLanes();
    void chartAreaJudgesSpeedByTheSpecsMetric_data();
    void chartAreaJudgesSpeedByTheSpecsMetric();
    void chartOverlaysShowOnTheirMetric();
    void historyPanelListsRunsAndHoldsADetailsView();
};

void TestPlaygroundParts::sweepEditorOffersNumericParameters()
{
    SweepEditor sweep;
    QSignalSpy changed(&sweep, &SweepEditor::paramChanged);
    sweep.setKernel(testKernel(QStringLiteral("k"), QStringLiteral("tflops")));
    auto *params = sweep.findChild<QComboBox *>(QStringLiteral("sweepParam"));
    QVERIFY(params);
    QStringList offered;
    for (int i = 0; i < params->count(); ++i)
        offered << params->itemData(i).toString();
    QCOMPARE(offered, (QStringList{QString(), QStringLiteral("seq_len"), QStringLiteral("scale")})); // no flag
    sweep.setList(QStringLiteral("scale"), QStringLiteral("1"));
    QCOMPARE(sweep.param(), QStringLiteral("scale"));
    QCOMPARE(changed.last().at(0).toString(), QStringLiteral("scale"));
}

void TestPlaygroundParts::sweepEditorValues_data()
{
    QTest::addColumn<QString>("list");
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<bool>("error");
    QTest::newRow("list") << QStringLiteral("64, 128 256") << QStringList{"64", "128", "256"} << false;
    QTest::newRow("empty") << QStringLiteral(" , ") << QStringList{} << true;
}

void TestPlaygroundParts::sweepEditorValues()
{
    QFETCH(QString, list);
    QFETCH(QStringList, values);
    QFETCH(bool, error);
    SweepEditor sweep;
    sweep.setKernel(testKernel(QStringLiteral("k"), QStringLiteral("tflops")));
    sweep.setList(QStringLiteral("seq_len"), list);
    const SweepValues v = sweep.values(true);
    QCOMPARE(!v.error.isEmpty(), error);
    if (!error)
        QCOMPARE(v.values, values);
    // A range set as a device default replaces the list and is what a run gets.
    SweepSpec range;
    range.mode = SweepSpec::Mode::Log;
    range.from = 256;
    range.to = 1024;
    range.steps = 3;
    sweep.applyDefaults(QStringLiteral("seq_len"), range);
    QCOMPARE(sweep.values(true).values, (QStringList{"256", "512", "1024"}));
}

void TestPlaygroundParts::variantPickerSaysWhyAVariantCannotRun()
{
    const KernelInfo k = testKernel(QStringLiteral("k"), QStringLiteral("tflops"));
    VariantPicker picker;
    picker.setKernel(k);
    const QMap<QString, QString> unavailable{{QStringLiteral("vendor"), QStringLiteral("libvendor not installed")}};
    picker.applyDevice(k, true, {QStringLiteral("fast"), QStringLiteral("vendor")}, unavailable);
    QCOMPARE(picker.checked(), QStringList{QStringLiteral("fast")});
    auto *vendor = picker.findChild<QCheckBox *>(QStringLiteral("variant_vendor"));
    QVERIFY(vendor && !vendor->isEnabled());
    QVERIFY(vendor->toolTip().contains(QStringLiteral("libvendor not installed")));
    // On the CPU the CUDA variants cannot run; the reference can.
    picker.applyDevice(k, false, {QStringLiteral("cpu_ref"), QStringLiteral("fast")}, {});
    QCOMPARE(picker.checked(), QStringList{QStringLiteral("cpu_ref")});
    // A new kernel replaces the boxes rather than adding to them.
    picker.setKernel(k);
    QCOMPARE(picker.findChildren<QCheckBox *>().size(), 3);
}

void TestPlaygroundParts::devicePanelDealsAllGpusOverLanes()
{
    DevicePanel panel;
    QCOMPARE(panel.deviceId(), QStringLiteral("cpu"));
    DeviceReport report;
    report.devices = {DeviceEntry{QStringLiteral("cpu"), QStringLiteral("CPU"), 0, 0, {}},
                      DeviceEntry{QStringLiteral("cuda:0"), QStringLiteral("GPU A"), 0, 0, {}},
                      DeviceEntry{QStringLiteral("cuda:1"), QStringLiteral("GPU B"), 0, 0, {}}};
    panel.setDevices(report);
    QCOMPARE(panel.deviceId(), QStringLiteral("cuda:0")); // a GPU chosen when there is one
    QVERIFY(panel.cudaSelected());
    panel.selectDevice(QStringLiteral("cuda:all"));
    RunSetup setup;
    setup.device = panel.deviceId();
    const QList<RunnerLane> lanes = panel.lanesFor(setup);
    QCOMPARE(lanes.size(), 2);
    QCOMPARE(lanes.at(1).device, QStringLiteral("cuda:1"));
    QCOMPARE(setup.device, QStringLiteral("cuda:0"));
    QSignalSpy run(&panel, &DevicePanel::runRequested);
    panel.findChild<QPushButton *>(QStringLiteral("runButton"))->click();
    QCOMPARE(run.size(), 1);
    panel.setRunning(true);
    QVERIFY(!panel.findChild<QPushButton *>(QStringLiteral("runButton"))->isEnabled());
}

void TestPlaygroundParts::chartAreaJudgesSpeedByTheSpecsMetric_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("metric");
    // An id that reads like a compute-bound kernel judged by bandwidth, and the reverse.
    QTest::newRow("attention by GB/s") << QStringLiteral("flash_attention") << QStringLiteral("gbps");
    QTest::newRow("decode by TFLOP/s") << QStringLiteral("flash_decoding") << QStringLiteral("tflops");
    QTest::newRow("time") << QStringLiteral("some_kernel") << QStringLiteral("time_ms");
}

void TestPlaygroundParts::chartAreaJudgesSpeedByTheSpecsMetric()
{
    QFETCH(QString, id);
    QFETCH(QString, metric);
    ChartArea area;
    area.setKernel(testKernel(id, metric));
    QCOMPARE(area.speedChart()->metricId(), metric);
}

void TestPlaygroundParts::chartOverlaysShowOnTheirMetric()
{
    ChartArea area;
    area.setKernel(testKernel(QStringLiteral("k"), QStringLiteral("tflops")));
    const int before = area.speedChart()->plot()->itemCount();
    area.setOverlays({ChartOverlay{QStringLiteral("tflops"), 600, std::nan(""), QStringLiteral("measured peak 600")},
                      ChartOverlay{QStringLiteral("tflops"), 230, 4096, QStringLiteral("paper: 230 TFLOP/s")},
                      ChartOverlay{QStringLiteral("gbps"), 3000, std::nan(""), QStringLiteral("measured copy 3000")},
                      ChartOverlay{QStringLiteral("rel_l2"), 1e-3, 4096, QStringLiteral("paper: 1e-3")}});
    QCOMPARE(area.speedChart()->overlayCount(), 2);
    QVERIFY(area.speedChart()->plot()->itemCount() > before);
    QCOMPARE(area.accuracyChart()->overlayCount(), 1); // rel_l2, the accuracy chart's first metric
    area.speedChart()->setMetric(QStringLiteral("gbps"));
    QCOMPARE(area.speedChart()->overlayCount(), 1);
    area.setOverlays({});
    QCOMPARE(area.speedChart()->overlayCount(), 0);
}

void TestPlaygroundParts::historyPanelListsRunsAndHoldsADetailsView()
{
    QTemporaryDir dir;
    Library library(dir.filePath(QStringLiteral("lib.sqlite")));
    RunStore store(library);
    for (const char *name : {"first", "second"}) {
        RunRecord run;
        run.name = QString::fromLatin1(name);
        run.setup.kernel = QStringLiteral("k");
        run.deviceName = QStringLiteral("CPU");
        store.insert(run);
    }
    RunHistoryPanel panel(store);
    QAbstractItemModelTester tester(panel.history()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    panel.history()->reload(0, QStringLiteral("k"));
    QCOMPARE(panel.history()->count(), 2);
    QCOMPARE(panel.currentRun(), 0);
    auto *details = new QLabel;
    panel.setDetailsView(details);
    QCOMPARE(details->parentWidget(), &panel);
    QSignalSpy current(&panel, &RunHistoryPanel::currentRunChanged);
    panel.history()->setCurrentRow(1);
    QCOMPARE(current.size(), 1);
    QCOMPARE(current.at(0).at(0).toLongLong(), panel.history()->item(1)->data(Qt::UserRole).toLongLong());
    QVERIFY(current.at(0).at(0).toLongLong() > 0);
    // A second view replaces the first.
    QPointer<QLabel> old(details);
    panel.setDetailsView(new QLabel);
    QVERIFY(old.isNull());
}

QTEST_MAIN(TestPlaygroundParts)
#include "tst_playground_parts.moc"
