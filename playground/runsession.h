#pragma once
// One run at a time, end to end: sends the request through one or more RunnerClients,
// stores the run and every streamed point in the library as it arrives, and records how
// it ended (finished, cancelled, or failed with the runner's or the process's message).
//
// A run can fan out over several runners ("lanes"): one per GPU of a local list, or one
// per `srun --gpus-per-task 1` job step. The sweep's values are dealt round-robin to the
// lanes, their points merge into the one run as they arrive, and a lane that dies costs
// only its own unmeasured points, which the run's message names.

#include "runnerclient.h"
#include "runstore.h"

#include <QList>
#include <QObject>

namespace paperlab::playground {

// How one runner of a run is started and which device it measures on.
struct RunnerLane {
    QString prefix; // launcher prefix ("", "ssh gpu-box", "srun -n1 --gpus-per-task 1")
    QString device; // empty: the run's own device
};

class RunSession : public QObject {
    Q_OBJECT
public:
    explicit RunSession(RunStore &store, QObject *parent = nullptr);

    // Takes effect for the next runner process (a changed prefix restarts it). One lane.
    void setLauncher(const QString &prefix, const QString &runnerPath = defaultRunnerPath());
    // Several lanes (at least one); takes effect for the next run.
    void setLanes(const QList<RunnerLane> &lanes, const QString &runnerPath = defaultRunnerPath());
    QString launcherPrefix() const { return m_lanes.first().lane.prefix; }
    int laneCount() const { return int(m_lanes.size()); }

    // The first lane's client: the one asked for devices and kernels.
    RunnerClient *client() { return m_lanes.first().client; }
    RunnerClient *client(int lane) { return m_lanes.at(lane).client; }
    // Starts the first lane's runner when needed and asks it for its devices.
    void connectRunner();
    DeviceReport devices() const { return m_devices; }

    bool running() const { return m_running; }
    // Stores a new run (status running) and sends it; false if a run is already going.
    bool start(const RunSetup &setup, qint64 paperId, const QString &name = {});
    void cancel();
    const RunRecord &current() const { return m_current; }

signals:
    void devicesChanged(const paperlab::playground::DeviceReport &report);
    void runStarted(const paperlab::RunRecord &run);
    void pointAdded(qint64 runId, const paperlab::RunPoint &point);
    void progress(int done, int total);
    // What a runner is doing now ("measuring this GPU's copy and matrix ceilings, once per
    // device", "running flash point 3"), prefixed by its lane when there are several.
    void stageChanged(const QString &stage);
    // The run ended; run.status and run.message tell how.
    void runEnded(const paperlab::RunRecord &run);
    void connectionProblem(const QString &message);
    // The first lane's runner listed its kernels: which variants can run on its host.
    void kernelsListed(const QList<paperlab::playground::KernelInfo> &kernels);

private:
    struct Lane {
        RunnerLane lane;
        RunnerClient *client = nullptr;
        QStringList values;       // the sweep values this lane was given
        QList<quint32> positions; // and where each stands in the whole sweep
        QStringList measured;     // the values it sent a point for
        int done = 0, total = 0;  // its progress
        bool active = false;      // sent a run that has not ended yet
        QString failure;          // why it ended early, if it did
        bool cancelled = false;
        int failedPoints = 0;
    };

    // Lanes are wired by index; a client is only ever replaced together with its lane.
    void wireClient(int laneIndex);
    void laneEnded(int laneIndex);
    void finishRun();
    QString laneLabel(int laneIndex) const;
    QString deviceName(const QString &deviceId) const;

    RunStore &m_store;
    QList<Lane> m_lanes;
    QString m_runnerPath;
    DeviceReport m_devices;
    RunRecord m_current;
    bool m_running = false;
};

} // namespace paperlab::playground
