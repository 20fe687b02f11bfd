#include "runsession.h"

#include "runname.h"

namespace paperlab::playground {

RunSession::RunSession(RunStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_runnerPath(defaultRunnerPath())
{
    m_lanes.append(Lane{});
    m_lanes[0].client = new RunnerClient(this);
    wireClient(0);
}

void RunSession::wireClient(int i)
{
    RunnerClient *client = m_lanes[i].client;
    client->disconnect(this);
    if (i == 0) {
        connect(client, &RunnerClient::devicesReceived, this, [this](const DeviceReport &r) {
            m_devices = r;
            emit devicesChanged(r);
        });
        connect(client, &RunnerClient::connectionLost, this, &RunSession::connectionProblem);
        connect(client, &RunnerClient::kernelsReceived, this, &RunSession::kernelsListed);
    }
    connect(client, &RunnerClient::progress, this, [this, i](int done, int total, const QString &stage) {
        if (!m_running || !m_lanes[i].active)
            return;
        emit stageChanged(m_lanes.size() > 1 ? QStringLiteral("%1: %2").arg(laneLabel(i), stage) : stage);
        m_lanes[i].done = done;
        m_lanes[i].total = total;
        int allDone = 0, allTotal = 0;
        for (const Lane &lane : std::as_const(m_lanes)) {
            allDone += lane.done;
            allTotal += lane.total;
        }
        emit progress(allDone, allTotal);
    });
    connect(client, &RunnerClient::pointReceived, this, [this, i](RunPoint p) {
        if (!m_running || !m_lanes[i].active)
            return;
        // Each lane numbers its own points and places non-numeric values by its own list.
        p.index = int(m_current.points.size());
        bool numeric = false;
        p.sweepValue.toDouble(&numeric);
        if (!numeric && !m_current.setup.sweepValues.isEmpty())
            p.x = qMax(0, int(m_current.setup.sweepValues.indexOf(p.sweepValue)));
        if (!m_lanes[i].measured.contains(p.sweepValue))
            m_lanes[i].measured << p.sweepValue;
        m_current.points << p;
        m_store.addPoint(m_current.id, p);
        emit pointAdded(m_current.id, p);
    });
    connect(client, &RunnerClient::runFinished, this, [this, i](const RunSummaryInfo &s) {
        if (!m_running || !m_lanes[i].active)
            return;
        m_lanes[i].cancelled = s.cancelled;
        m_lanes[i].failedPoints = s.failed;
        if (!s.environment.isEmpty()) {
            // Stored per lane: a run over two GPUs keeps where each half was measured.
            while (m_current.environments.size() <= i)
                m_current.environments.append(RunEnvironment{});
            m_current.environments[i] = s.environment;
            m_store.setEnvironment(m_current.id, i, s.environment);
        }
        laneEnded(i);
    });
    connect(client, &RunnerClient::runFailed, this, [this, i](const RunFailure &f) {
        if (!m_running || !m_lanes[i].active)
            return;
        m_lanes[i].failure = f.message.isEmpty() ? f.code : f.message;
        laneEnded(i);
    });
}

void RunSession::setLauncher(const QString &prefix, const QString &runnerPath)
{
    setLanes({RunnerLane{prefix, QString()}}, runnerPath);
}

void RunSession::setLanes(const QList<RunnerLane> &lanes, const QString &runnerPath)
{
    if (lanes.isEmpty() || m_running)
        return;
    const bool pathChanged = runnerPath != m_runnerPath;
    m_runnerPath = runnerPath;
    // Keep the clients whose lane did not change (their runner stays warm).
    while (m_lanes.size() > lanes.size()) {
        Lane gone = m_lanes.takeLast();
        gone.client->stop();
        gone.client->deleteLater();
    }
    for (int i = 0; i < lanes.size(); ++i) {
        if (i >= m_lanes.size()) {
            m_lanes.append(Lane{});
            m_lanes[i].client = new RunnerClient(this);
        } else if (pathChanged || m_lanes[i].lane.prefix != lanes[i].prefix) {
            m_lanes[i].client->stop();
        }
        m_lanes[i].lane = lanes[i];
        wireClient(i);
    }
}

void RunSession::connectRunner()
{
    RunnerClient *client = m_lanes.first().client;
    if (client->isStarted())
        return;
    if (client->start(m_lanes.first().lane.prefix, m_runnerPath)) {
        client->requestDevices();
        client->requestKernels();
    }
}

QString RunSession::deviceName(const QString &deviceId) const
{
    const QString wanted = deviceId == QLatin1String("cuda") ? QStringLiteral("cuda:0") : deviceId;
    for (const DeviceEntry &d : m_devices.devices)
        if (d.id == wanted)
            return d.name;
    return deviceId == QLatin1String("cpu") ? QStringLiteral("CPU") : deviceId;
}

QString RunSession::laneLabel(int i) const
{
    const Lane &lane = m_lanes[i];
    QString where = lane.lane.prefix.trimmed().isEmpty() ? QStringLiteral("local") : lane.lane.prefix.trimmed();
    if (!lane.lane.device.isEmpty())
        where += QStringLiteral(", ") + lane.lane.device;
    return m_lanes.size() == 1 ? where
                               : QStringLiteral("runner %1 of %2 (%3)").arg(i + 1).arg(m_lanes.size()).arg(where);
}

bool RunSession::start(const RunSetup &setup, qint64 paperId, const QString &name)
{
    if (m_running)
        return false;
    connectRunner();

    // Deal the sweep values round-robin; a run without a sweep (or with fewer values
    // than lanes) leaves the spare lanes idle.
    const int usable = setup.sweepValues.isEmpty() ? 1 : int(qMin<qsizetype>(m_lanes.size(), setup.sweepValues.size()));
    for (int i = 0; i < m_lanes.size(); ++i) {
        Lane &lane = m_lanes[i];
        lane.values.clear();
        lane.positions.clear();
        lane.measured.clear();
        lane.done = lane.total = lane.failedPoints = 0;
        lane.failure.clear();
        lane.cancelled = false;
        lane.active = i < usable;
    }
    for (int v = 0; v < setup.sweepValues.size(); ++v) {
        m_lanes[v % usable].values << setup.sweepValues[v];
        m_lanes[v % usable].positions << quint32(v);
    }

    QStringList devices;
    for (int i = 0; i < usable; ++i) {
        const QString name = deviceName(m_lanes[i].lane.device.isEmpty() ? setup.device : m_lanes[i].lane.device);
        if (!devices.contains(name))
            devices << name;
    }
    m_current = RunRecord{};
    m_current.setup = setup;
    m_current.paperId = paperId;
    m_current.deviceName = usable > 1 && devices.size() == 1 ? QStringLiteral("%1× %2").arg(usable).arg(devices.first())
                                                             : devices.join(QStringLiteral(" + "));
    m_current.runnerVersion = client()->runnerVersion();
    const KernelInfo *kernel = findLocalKernel(setup.kernel);
    m_current.name = !name.isEmpty() ? name
                     : kernel        ? defaultRunName(setup, *kernel, m_current.deviceName)
                                     : QStringLiteral("%1 on %2").arg(setup.kernel, m_current.deviceName);
    m_current.status = RunStatus::Running;
    m_store.create(m_current);
    m_running = true;
    emit runStarted(m_current);

    for (int i = 0; i < usable; ++i) {
        Lane &lane = m_lanes[i];
        RunSetup part = setup;
        if (!setup.sweepValues.isEmpty())
            part.sweepValues = lane.values;
        if (!lane.lane.device.isEmpty())
            part.device = lane.lane.device;
        if (!lane.client->isStarted())
            lane.client->start(lane.lane.prefix, m_runnerPath);
        // One lane sends the whole sweep as before; several say where their values stand.
        lane.client->run(part, 0,
                         usable > 1 ? lane.positions
                                    : QList<quint32>{}); // a runner that could not start fails this lane asynchronously
    }
    return true;
}

void RunSession::cancel()
{
    if (!m_running)
        return;
    for (Lane &lane : m_lanes)
        if (lane.active)
            lane.client->cancel();
}

void RunSession::laneEnded(int i)
{
    m_lanes[i].active = false;
    for (const Lane &lane : std::as_const(m_lanes))
        if (lane.active)
            return;
    finishRun();
}

void RunSession::finishRun()
{
    if (!m_running)
        return;
    QStringList problems;
    int failedLanes = 0, cancelledLanes = 0, failedPoints = 0, usedLanes = 0;
    for (int i = 0; i < m_lanes.size(); ++i) {
        const Lane &lane = m_lanes[i];
        if (lane.values.isEmpty() && i > 0)
            continue;
        ++usedLanes;
        failedPoints += lane.failedPoints;
        if (lane.cancelled)
            ++cancelledLanes;
        if (lane.failure.isEmpty())
            continue;
        ++failedLanes;
        QString text = m_lanes.size() == 1 ? lane.failure : QStringLiteral("%1: %2").arg(laneLabel(i), lane.failure);
        QStringList lost;
        for (const QString &v : lane.values)
            if (!lane.measured.contains(v))
                lost << v;
        if (!lost.isEmpty())
            text += tr(" — not measured: %1 = %2").arg(m_current.setup.sweepParam, lost.join(QStringLiteral(", ")));
        problems << text;
    }

    RunStatus status = RunStatus::Finished;
    QString message;
    if (failedLanes == usedLanes) {
        status = RunStatus::Failed;
        message = problems.join(QStringLiteral("; "));
    } else if (cancelledLanes > 0) {
        status = RunStatus::Cancelled;
        message = tr("cancelled after %n point(s)", nullptr, int(m_current.points.size()));
        if (!problems.isEmpty())
            message += QStringLiteral("; ") + problems.join(QStringLiteral("; "));
    } else if (!problems.isEmpty()) {
        // Some lanes died: what the others measured is kept and the run says what is missing.
        message = problems.join(QStringLiteral("; "));
    } else if (failedPoints > 0) {
        message = tr("%n point(s) failed", nullptr, failedPoints);
    }

    m_running = false;
    m_current.status = status;
    m_current.message = message;
    // The runner says its version in Hello, which may arrive after the run was stored.
    if (m_current.runnerVersion.isEmpty() && !client()->runnerVersion().isEmpty()) {
        m_current.runnerVersion = client()->runnerVersion();
        m_store.setRunnerVersion(m_current.id, m_current.runnerVersion);
    }
    m_store.finish(m_current.id, status, message);
    emit runEnded(m_current);
}

} // namespace paperlab::playground
