#pragma once
// One paperlab-runner process speaking the length-delimited protobuf protocol over its
// stdin/stdout (kernels/runner/runner.proto). Started through an optional launcher prefix,
// so the runner can live on another machine. The process dying is reported as a run
// failure, never as a crash of ours.

#include "kernelinfo.h"
#include "launcher.h"
#include "runtypes.h"

#include <QObject>
#include <QProcess>

#include <memory>

namespace paperlab::kernels::runner {
class FrameReader;
}

namespace paperlab::playground {

struct RunFailure {
    QString code;      // runner error code ("bad_parameter", ...) or "process"
    QString parameter; // the offending parameter, when the runner named one
    QString message;
};

struct RunSummaryInfo {
    int points = 0;
    int failed = 0;
    double wallSeconds = 0;
    bool cancelled = false;
    RunEnvironment environment; // empty from a runner that sends none
};

// Where the runner binary is: $PAPERLAB_RUNNER, next to the app, libexec/paperlab of the
// app's install prefix, the build tree, then PATH.
QString defaultRunnerPath();
// The installed runner for an app in `appDir` (<prefix>/bin), or empty when none is there.
QString installedRunnerPath(const QString &appDir);

class RunnerClient : public QObject {
    Q_OBJECT
public:
    explicit RunnerClient(QObject *parent = nullptr);
    ~RunnerClient() override;

    // Starts the process (if not running) as `prefix runnerPath --protocol`.
    bool start(const QString &launcherPrefix, const QString &runnerPath = defaultRunnerPath());
    bool isStarted() const;
    bool runActive() const { return !m_activeRequest.isEmpty(); }
    QString runnerVersion() const { return m_runnerVersion; }
    QString commandLine() const { return m_command.display(); }
    qint64 processId() const { return m_process ? m_process->processId() : 0; }

    void requestDevices();
    void requestKernels();
    // Sends the run; its replies arrive as signals. Returns the request id.
    // `positions`: where each sweep value stands in the whole sweep of a fanned-out run
    // (seeds its inputs); empty for a run that sends the whole sweep.
    QString run(const RunSetup &setup, quint64 seed = 0, const QList<quint32> &positions = {});
    // Asks the runner to stop between repetitions; it answers with a cancelled summary.
    void cancel();
    // Closes stdin (the runner then exits) and kills it if it lingers.
    void stop();

signals:
    void helloReceived(const QString &runnerVersion, bool cudaBuilt);
    void devicesReceived(const paperlab::playground::DeviceReport &report);
    void kernelsReceived(const QList<paperlab::playground::KernelInfo> &kernels);
    void progress(int done, int total, const QString &stage);
    void pointReceived(const paperlab::RunPoint &point);
    void runFinished(const paperlab::playground::RunSummaryInfo &summary);
    void runFailed(const paperlab::playground::RunFailure &failure);
    // The process could not start or stopped while no run was active.
    void connectionLost(const QString &message);

private:
    void send(const std::string &frame);
    void onReadyRead();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onErrorOccurred(QProcess::ProcessError error);
    void handleFrame(const std::string &frame);
    void failActiveRun(const QString &message);
    QString stderrTail() const;

    QProcess *m_process = nullptr;
    LaunchCommand m_command;
    std::unique_ptr<paperlab::kernels::runner::FrameReader> m_reader;
    QByteArray m_stderr;
    QString m_runnerVersion;
    QString m_activeRequest;
    QStringList m_sweepValues; // of the active run, to place non-numeric values on x
    int m_requestCounter = 0;
    bool m_stopping = false;
};

} // namespace paperlab::playground
