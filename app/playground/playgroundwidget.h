#pragma once
// A paper's Playground: pick one of its kernels (own or related), set parameters, sweep,
// variants, device, repetitions and launcher, press Run, and watch the speed and accuracy
// charts fill in as points stream from the runner. Runs are stored and can be overlaid.

#include "family.h"
#include "paramformmodel.h"
#include "runsession.h"
#include "runstore.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QVBoxLayout;

namespace paperlab {
class Library;
}

namespace paperlab::playground {

class BlockMaskView;
class ParamForm;
class RunChartView;
class RunHistory;

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
    RunChartView *speedChart() const { return m_speed; }
    RunChartView *accuracyChart() const { return m_accuracy; }
    RunHistory *history() const { return m_history; }
    BlockMaskView *maskView() const { return m_mask; }
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

private:
    QWidget *buildControls();
    void kernelChanged();
    void deviceChanged();
    void devicesArrived(const DeviceReport &report);
    void testLauncher();
    void rememberLauncher(const QString &typed);
    QList<RunnerLane> lanesFor(RunSetup &setup) const;
    void refreshSweepControls();
    void refreshCharts();
    void exportCsv(qint64 runId);
    void exportChart();
    void showError(const QString &message);
    const KernelInfo *kernel() const;
    bool cudaSelected() const;

    Library &m_library;
    qint64 m_paperId;
    QList<PaperKernel> m_kernels;
    std::unique_ptr<RunStore> m_store;
    RunSession *m_session;
    ParamFormModel *m_formModel;
    DeviceReport m_devices;

    QComboBox *m_kernelBox = nullptr;
    QLabel *m_kernelNote = nullptr;
    ParamForm *m_form = nullptr;
    QComboBox *m_sweepParam = nullptr;
    QComboBox *m_sweepMode = nullptr;
    QLineEdit *m_sweepList = nullptr;
    QDoubleSpinBox *m_sweepFrom = nullptr;
    QDoubleSpinBox *m_sweepTo = nullptr;
    QSpinBox *m_sweepSteps = nullptr;
    QWidget *m_variantBox = nullptr;
    QVBoxLayout *m_variantLayout = nullptr;
    QList<QCheckBox *> m_variantChecks;
    QComboBox *m_device = nullptr;
    QSpinBox *m_reps = nullptr;
    QDoubleSpinBox *m_peakTflops = nullptr;   // the dashed ceiling lines; 0 draws none
    QDoubleSpinBox *m_peakGbps = nullptr;
    QLineEdit *m_launcher = nullptr;         // "", a host, or a prefix (ssh ..., srun ...)
    QPushButton *m_testButton = nullptr;      // tries the launcher: starts a runner, lists its devices
    QLabel *m_connection = nullptr;           // what the last test found
    QSpinBox *m_runners = nullptr;            // runners a sweep fans out over
    // kernel id -> variant id -> why it cannot run on the runner's host (from its listing)
    QMap<QString, QMap<QString, QString>> m_unavailable;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_cpuNotice = nullptr;
    QLabel *m_errorBanner = nullptr;
    RunChartView *m_speed = nullptr;
    RunChartView *m_accuracy = nullptr;
    BlockMaskView *m_mask = nullptr;
    RunHistory *m_history = nullptr;
    bool m_connected = false;
    bool m_geometric = false;
};

} // namespace paperlab::playground
