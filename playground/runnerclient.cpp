#include "runnerclient.h"

#include "environmentproto.h"
#include "runner/protocol.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>

namespace paperlab::playground {

namespace pb = paperlab::runner;
namespace kr = paperlab::kernels::runner;

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString errorCodeText(pb::Error::Code code)
{
    return q(pb::Error::Code_Name(code)).toLower();
}

RunFailure failureFromProto(const pb::Error &e)
{
    return RunFailure{errorCodeText(e.code()), q(e.parameter()), q(e.message())};
}

} // namespace

QString installedRunnerPath(const QString &appDir)
{
    const QString runner = QDir::cleanPath(QDir(appDir).filePath(QStringLiteral(PAPERLAB_RUNNER_FROM_BINDIR)));
    return QFileInfo(runner).isExecutable() ? runner : QString();
}

QString defaultRunnerPath()
{
    const QString env = qEnvironmentVariable("PAPERLAB_RUNNER");
    if (!env.isEmpty())
        return env;
    if (QCoreApplication::instance()) {
        const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/paperlab-runner");
        if (QFileInfo(beside).isExecutable())
            return beside;
        const QString installed = installedRunnerPath(QCoreApplication::applicationDirPath());
        if (!installed.isEmpty())
            return installed;
    }
#ifdef PAPERLAB_RUNNER_BUILD_PATH
    if (QFileInfo(QStringLiteral(PAPERLAB_RUNNER_BUILD_PATH)).isExecutable())
        return QStringLiteral(PAPERLAB_RUNNER_BUILD_PATH);
#endif
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("paperlab-runner"));
    return onPath.isEmpty() ? QStringLiteral("paperlab-runner") : onPath;
}

RunnerClient::RunnerClient(QObject *parent)
    : QObject(parent)
{}

RunnerClient::~RunnerClient()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(500))
            m_process->kill();
        m_process->waitForFinished(500);
    }
}

bool RunnerClient::isStarted() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

bool RunnerClient::start(const QString &launcherPrefix, const QString &runnerPath)
{
    if (isStarted())
        return true;
    QString splitError;
    m_command = buildLaunch(launcherPrefix, runnerPath, {QStringLiteral("--protocol")}, &splitError);
    if (!splitError.isEmpty()) {
        emit connectionLost(splitError);
        return false;
    }
    delete m_process;
    m_process = new QProcess(this);
    m_reader = std::make_unique<kr::FrameReader>();
    m_stderr.clear();
    m_stopping = false;
    connect(m_process, &QProcess::readyReadStandardOutput, this, &RunnerClient::onReadyRead);
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderr += m_process->readAllStandardError();
        if (m_stderr.size() > 8192)
            m_stderr = m_stderr.right(8192);
    });
    connect(m_process, &QProcess::finished, this, &RunnerClient::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &RunnerClient::onErrorOccurred);
    // QProcess buffers what is written while it is still starting.
    m_process->start(m_command.program, m_command.arguments);
    return true;
}

void RunnerClient::send(const std::string &frame)
{
    if (!isStarted())
        return;
    m_process->write(frame.data(), qint64(frame.size()));
}

void RunnerClient::requestDevices()
{
    pb::ClientMessage m;
    m.mutable_list_devices();
    send(kr::encodeMessage(m));
}

void RunnerClient::requestKernels()
{
    pb::ClientMessage m;
    m.mutable_list_kernels();
    send(kr::encodeMessage(m));
}

QString RunnerClient::run(const RunSetup &setup, quint64 seed, const QList<quint32> &positions)
{
    m_activeRequest = QStringLiteral("run-%1").arg(++m_requestCounter);
    m_sweepValues = setup.sweepValues;
    pb::ClientMessage m;
    pb::RunRequest *r = m.mutable_run();
    r->set_kernel(setup.kernel.toStdString());
    for (auto it = setup.fixed.cbegin(); it != setup.fixed.cend(); ++it)
        (*r->mutable_fixed())[it.key().toStdString()] = it.value().toStdString();
    if (!setup.sweepParam.isEmpty()) {
        r->mutable_sweep()->set_param(setup.sweepParam.toStdString());
        for (const QString &v : setup.sweepValues)
            r->mutable_sweep()->add_values(v.toStdString());
        for (const quint32 pos : positions)
            r->mutable_sweep()->add_positions(pos);
    }
    for (const QString &v : setup.variants)
        r->add_variants(v.toStdString());
    r->set_device(setup.device.toStdString());
    r->set_repetitions(setup.repetitions);
    r->set_seed(seed);
    r->set_want_mask(setup.wantMask);
    r->set_request_id(m_activeRequest.toStdString());
    if (!isStarted()) {
        // Report asynchronously, like every other failure, so callers see one code path.
        QTimer::singleShot(0, this, [this] { failActiveRun(QStringLiteral("the runner is not running")); });
        return m_activeRequest;
    }
    send(kr::encodeMessage(m));
    return m_activeRequest;
}

void RunnerClient::cancel()
{
    if (m_activeRequest.isEmpty())
        return;
    pb::ClientMessage m;
    m.mutable_cancel()->set_request_id(m_activeRequest.toStdString());
    send(kr::encodeMessage(m));
}

void RunnerClient::stop()
{
    if (!isStarted())
        return;
    m_stopping = true;
    m_process->closeWriteChannel();
    QProcess *p = m_process;
    // A remote runner behind ssh may not notice stdin closing at once.
    QTimer::singleShot(3000, p, [p] {
        if (p->state() != QProcess::NotRunning)
            p->kill();
    });
}

void RunnerClient::onReadyRead()
{
    const QByteArray bytes = m_process->readAllStandardOutput();
    m_reader->feed(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    while (auto frame = m_reader->next())
        handleFrame(*frame);
    if (m_reader->failed()) {
        failActiveRun(QStringLiteral("unreadable reply from the runner (%1); is the launcher printing to stdout?")
                          .arg(q(m_reader->failure())));
        m_process->kill();
    }
}

void RunnerClient::handleFrame(const std::string &frame)
{
    pb::ServerMessage msg;
    if (!kr::decodeMessage(frame, msg)) {
        failActiveRun(QStringLiteral("could not parse a reply from the runner"));
        return;
    }
    switch (msg.msg_case()) {
    case pb::ServerMessage::kHello:
        m_runnerVersion = q(msg.hello().runner_version());
        emit helloReceived(m_runnerVersion, msg.hello().cuda_built());
        return;
    case pb::ServerMessage::kDevices:
        emit devicesReceived(devicesFromProto(msg.devices()));
        return;
    case pb::ServerMessage::kKernels: {
        QList<KernelInfo> kernels;
        for (const auto &k : msg.kernels().kernels())
            kernels << kernelFromProto(k);
        emit kernelsReceived(kernels);
        return;
    }
    case pb::ServerMessage::kProgress:
        if (q(msg.progress().request_id()) == m_activeRequest)
            emit progress(msg.progress().done(), msg.progress().total(), q(msg.progress().stage()));
        return;
    case pb::ServerMessage::kPoint: {
        const pb::PointResult &r = msg.point();
        if (q(r.request_id()) != m_activeRequest)
            return;
        RunPoint p;
        p.index = r.index();
        p.variant = q(r.variant());
        p.device = q(r.device());
        p.sweepValue = q(r.sweep_value());
        bool numeric = false;
        p.x = p.sweepValue.toDouble(&numeric);
        if (!numeric)
            p.x = qMax(0, int(m_sweepValues.indexOf(p.sweepValue)));
        for (const auto &metric : r.metrics())
            p.metrics.insert(q(metric.id()), metric.value());
        if (r.has_error() && (r.error().code() != pb::Error::UNKNOWN || !r.error().message().empty()))
            p.error = q(r.error().message());
        if (r.has_mask())
            p.mask = BlockMask{r.mask().rows(), r.mask().cols(), QByteArray::fromStdString(r.mask().bits())};
        emit pointReceived(p);
        return;
    }
    case pb::ServerMessage::kSummary: {
        if (q(msg.summary().request_id()) != m_activeRequest)
            return;
        m_activeRequest.clear();
        const pb::Summary &s = msg.summary();
        emit runFinished(RunSummaryInfo{s.points(), s.failed(), s.wall_seconds(), s.cancelled(),
                                        environmentFromProto(s.environment())});
        return;
    }
    case pb::ServerMessage::kError: {
        const QString id = q(msg.error().request_id());
        if (!m_activeRequest.isEmpty() && (id == m_activeRequest || id.isEmpty())) {
            m_activeRequest.clear();
            emit runFailed(failureFromProto(msg.error()));
        } else {
            emit connectionLost(q(msg.error().message()));
        }
        return;
    }
    case pb::ServerMessage::MSG_NOT_SET:
        return;
    }
}

QString RunnerClient::stderrTail() const
{
    const QStringList lines = QString::fromLocal8Bit(m_stderr).trimmed().split(QLatin1Char('\n'));
    return lines.mid(qMax(0, int(lines.size()) - 3)).join(QLatin1Char(' ')).trimmed();
}

void RunnerClient::failActiveRun(const QString &message)
{
    if (m_activeRequest.isEmpty()) {
        emit connectionLost(message);
        return;
    }
    m_activeRequest.clear();
    emit runFailed(RunFailure{QStringLiteral("process"), QString(), message});
}

void RunnerClient::onFinished(int exitCode, QProcess::ExitStatus status)
{
    // Drain what was written just before the end (a final Summary or Error).
    onReadyRead();
    if (m_stopping && m_activeRequest.isEmpty())
        return;
    QString why = status == QProcess::CrashExit ? QStringLiteral("the runner process died (killed or crashed)")
                                                : QStringLiteral("the runner exited with code %1").arg(exitCode);
    const QString tail = stderrTail();
    if (!tail.isEmpty())
        why += QStringLiteral(": ") + tail;
    failActiveRun(why);
}

void RunnerClient::onErrorOccurred(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return; // crashes arrive through finished()
    failActiveRun(
        QStringLiteral("could not start the runner (%1): %2").arg(m_command.display(), m_process->errorString()));
}

} // namespace paperlab::playground
