#pragma once
// The Run box: where a run goes (device, repetitions, the launcher that starts runners and
// its Test button, how many runners a sweep is dealt over) and the Run/Cancel buttons with
// the progress bar. It remembers launchers that worked; the run itself is the session's.

#include "kernelinfo.h"
#include "runsession.h"

#include <QGroupBox>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace paperlab::playground {

class DevicePanel : public QGroupBox {
    Q_OBJECT
public:
    explicit DevicePanel(QWidget *parent = nullptr);

    // The runner's devices: listed (plus "all GPUs" when there are several), a GPU chosen.
    void setDevices(const DeviceReport &report);
    const DeviceReport &devices() const { return m_devices; }
    QString deviceId() const;
    QString deviceName() const; // as shown: the key the ceilings are remembered under
    bool cudaSelected() const;
    void selectDevice(const QString &deviceId);
    int repetitions() const;
    void setRepetitions(int n);
    QString launcherPrefix() const;
    // The runners a run starts; "all GPUs" becomes one lane per GPU and setup.device the first.
    QList<RunnerLane> lanesFor(RunSetup &setup) const;
    // Puts the typed launcher first in the completer's list (it is about to be used).
    void rememberLauncher();
    void setRunning(bool running);
    void setProgress(int done, int total);
    // What the runner is doing, shown in the progress bar ("measuring this GPU's copy and
    // matrix ceilings, once per device" while a GPU is probed for the first time).
    void setStage(const QString &stage);

signals:
    void deviceChanged();
    void launcherEdited();
    void runRequested();
    void cancelRequested();

private:
    void remember(const QString &typed);
    void testLauncher();

    DeviceReport m_devices;
    QComboBox *m_device;
    QSpinBox *m_reps;
    QLineEdit *m_launcher;     // "", a host, or a prefix (ssh ..., srun ...)
    QPushButton *m_testButton; // tries the launcher: starts a runner, lists its devices
    QLabel *m_connection;      // what the last test found
    QSpinBox *m_runners;       // runners a sweep fans out over
    QPushButton *m_runButton;
    QPushButton *m_cancelButton;
    QProgressBar *m_progress;
};

} // namespace paperlab::playground
