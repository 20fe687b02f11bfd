#include "runsession.h"

#include "runname.h"

namespace paperlab::playground {

RunSession::RunSession(RunStore &store, QObject *parent)
    : QObject(parent), m_store(store), m_client(new RunnerClient(this)), m_runnerPath(defaultRunnerPath())
{
    connect(m_client, &RunnerClient::devicesReceived, this, [this](const DeviceReport &r) {
        m_devices = r;
        emit devicesChanged(r);
    });
    connect(m_client, &RunnerClient::progress, this, [this](int done, int total, const QString &) {
        emit progress(done, total);
    });
    connect(m_client, &RunnerClient::pointReceived, this, [this](const RunPoint &p) {
        if (!m_running)
            return;
        m_current.points << p;
        m_store.addPoint(m_current.id, p);
        emit pointAdded(m_current.id, p);
    });
    connect(m_client, &RunnerClient::runFinished, this, [this](const RunSummaryInfo &s) {
        if (s.cancelled)
            end(RunStatus::Cancelled, tr("cancelled after %n point(s)", nullptr, s.points));
        else if (s.failed > 0)
            end(RunStatus::Finished, tr("%n point(s) failed", nullptr, s.failed));
        else
            end(RunStatus::Finished, QString());
    });
    connect(m_client, &RunnerClient::runFailed, this, [this](const RunFailure &f) {
        end(RunStatus::Failed, f.message.isEmpty() ? f.code : f.message);
    });
    connect(m_client, &RunnerClient::connectionLost, this, &RunSession::connectionProblem);
}

void RunSession::setLauncher(const QString &prefix, const QString &runnerPath)
{
    if (prefix == m_prefix && runnerPath == m_runnerPath)
        return;
    m_prefix = prefix;
    m_runnerPath = runnerPath;
    if (!m_running)
        m_client->stop();
}

void RunSession::connectRunner()
{
    if (m_client->isStarted())
        return;
    if (m_client->start(m_prefix, m_runnerPath))
        m_client->requestDevices();
}

QString RunSession::deviceName(const QString &deviceId) const
{
    const QString wanted = deviceId == QLatin1String("cuda") ? QStringLiteral("cuda:0") : deviceId;
    for (const DeviceEntry &d : m_devices.devices)
        if (d.id == wanted)
            return d.name;
    return deviceId == QLatin1String("cpu") ? QStringLiteral("CPU") : deviceId;
}

bool RunSession::start(const RunSetup &setup, qint64 paperId, const QString &name)
{
    if (m_running)
        return false;
    connectRunner();
    m_current = RunRecord{};
    m_current.setup = setup;
    m_current.paperId = paperId;
    m_current.deviceName = deviceName(setup.device);
    m_current.runnerVersion = m_client->runnerVersion();
    const KernelInfo *kernel = findLocalKernel(setup.kernel);
    m_current.name = !name.isEmpty() ? name
                     : kernel        ? defaultRunName(setup, *kernel, m_current.deviceName)
                                     : QStringLiteral("%1 on %2").arg(setup.kernel, m_current.deviceName);
    m_current.status = RunStatus::Running;
    m_store.create(m_current);
    m_running = true;
    emit runStarted(m_current);
    m_client->run(setup);
    return true;
}

void RunSession::cancel()
{
    if (m_running)
        m_client->cancel();
}

void RunSession::end(RunStatus status, const QString &message)
{
    if (!m_running)
        return;
    m_running = false;
    m_current.status = status;
    m_current.message = message;
    // The runner says its version in Hello, which may arrive after the run was stored.
    if (m_current.runnerVersion.isEmpty() && !m_client->runnerVersion().isEmpty()) {
        m_current.runnerVersion = m_client->runnerVersion();
        m_store.setRunnerVersion(m_current.id, m_current.runnerVersion);
    }
    m_store.finish(m_current.id, status, message);
    emit runEnded(m_current);
}

} // namespace paperlab::playground
