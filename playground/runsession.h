#pragma once
// One run at a time, end to end: sends the request through a RunnerClient, stores the run
// and every streamed point in the library as it arrives, and records how it ended
// (finished, cancelled, or failed with the runner's or the process's message).

#include "runnerclient.h"
#include "runstore.h"

#include <QObject>

namespace paperlab::playground {

class RunSession : public QObject {
    Q_OBJECT
public:
    explicit RunSession(RunStore &store, QObject *parent = nullptr);

    // Takes effect for the next runner process (a changed prefix restarts it).
    void setLauncher(const QString &prefix, const QString &runnerPath = defaultRunnerPath());
    QString launcherPrefix() const { return m_prefix; }

    RunnerClient *client() { return m_client; }
    // Starts the runner when needed and asks it for its devices.
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
    // The run ended; run.status and run.message tell how.
    void runEnded(const paperlab::RunRecord &run);
    void connectionProblem(const QString &message);

private:
    void end(RunStatus status, const QString &message);
    QString deviceName(const QString &deviceId) const;

    RunStore &m_store;
    RunnerClient *m_client;
    QString m_prefix;
    QString m_runnerPath;
    DeviceReport m_devices;
    RunRecord m_current;
    bool m_running = false;
};

} // namespace paperlab::playground
