#pragma once
// A paper's Playground: pick one of its kernels (own or related), set parameters, sweep,
// variants, device, repetitions and launcher, press Run, and watch the speed and accuracy
// charts fill in as points stream from the runner. Runs are stored and can be overlaid.
//
// This class only wires its parts to the RunSession: KernelPicker, ParamForm, SweepEditor,
// VariantPicker and DevicePanel on the left; ChartArea (ceilings, charts, mask, overlays)
// on the right; RunHistoryPanel (runs, run details) below the form.

#include "family.h"
#include "paramformmodel.h"
#include "runsession.h"
#include "runstore.h"

#include <QWidget>

#include <memory>

class QLabel;
class QScrollArea;
class QSplitter;

namespace paperlab {
class Library;
}

namespace paperlab::playground {

class BlockMaskView;
class ChartArea;
class DevicePanel;
class KernelPicker;
class ParamForm;
class RunChartView;
class RunHistory;
class RunHistoryPanel;
class SweepEditor;
class VariantPicker;

class PlaygroundWidget : public QWidget {
    Q_OBJECT
public:
    // paperId 0: a kernel's playground without a paper (the overview's).
    PlaygroundWidget(Library &library, qint64 paperId, const QList<PaperKernel> &kernels, QWidget *parent = nullptr);
    ~PlaygroundWidget() override;

    QString kernelId() const;
    bool selectKernel(const QString &kernelId);
    void selectDevice(const QString &deviceId);
    void setSweep(const QString &param, const QString &valuesList);
    void setRepetitions(int n);
    bool running() const;
    // The width the controls and the charts need side by side (0 without kernels).
    int sideBySideWidth() const;
    // Controls above the charts (one column, for a narrow page: at 1024 px the paper page has
    // some 400 px) or beside them. Stacked, the controls show whole and whoever holds the
    // playground scrolls it vertically.
    void setStacked(bool stacked);
    bool isStacked() const;
    // The parts (null in a playground without kernels), for the tests and for overlays.
    ChartArea *chartArea() const { return m_charts; }
    RunHistoryPanel *historyPanel() const { return m_historyPanel; }
    RunChartView *speedChart() const;
    RunChartView *accuracyChart() const;
    RunHistory *history() const;
    BlockMaskView *maskView() const;
    // Every stored run of this paper as speed/accuracy PNG (2x), SVG and PDF; returns the error.
    QString exportAllCharts(const QString &folder);
    // Stores runner --json output as runs of this paper and shows them; returns the error.
    QString importRunnerJson(const QString &path);

public slots:
    void run();
    void cancel();

signals:
    void runEnded(const paperlab::RunRecord &run);

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QWidget *buildControls();
    QWidget *buildCharts();
    void connectSession();
    void kernelChanged();
    void fitControlsHeight();
    void deviceChanged();
    void devicesArrived(const DeviceReport &report);
    void refreshCharts();
    void exportCsv(qint64 runId);
    void exportChart();
    void showError(const QString &message);

    Library &m_library;
    qint64 m_paperId;
    QList<PaperKernel> m_kernels;
    std::unique_ptr<RunStore> m_store;
    RunSession *m_session;
    ParamFormModel *m_formModel;
    // kernel id -> variant id -> why it cannot run on the runner's host (from its listing)
    QMap<QString, QMap<QString, QString>> m_unavailable;

    KernelPicker *m_picker = nullptr;
    ParamForm *m_form = nullptr;
    SweepEditor *m_sweep = nullptr;
    VariantPicker *m_variants = nullptr;
    DevicePanel *m_devicePanel = nullptr;
    RunHistoryPanel *m_historyPanel = nullptr;
    ChartArea *m_charts = nullptr;
    QSplitter *m_split = nullptr;
    QScrollArea *m_controlsScroll = nullptr;
    QWidget *m_controls = nullptr; // in m_controlsScroll beside the charts, in m_split stacked
    QLabel *m_cpuNotice = nullptr;
    QLabel *m_errorBanner = nullptr;
    bool m_connected = false;
    bool m_placed = false; // setStacked has laid the parts out once
};

} // namespace paperlab::playground
