#include "devicepanel.h"

#include "elidingcombo.h"
#include "launcher.h"
#include "runnerclient.h"

#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStringListModel>
#include <QTimer>

#include <algorithm>

namespace paperlab::playground {

namespace {
const char *const kLauncherKey = "playground/launcher";
const char *const kSavedLaunchersKey = "playground/savedLaunchers"; // hosts and prefixes that worked
constexpr const char *kAllGpus = "cuda:all";
} // namespace

DevicePanel::DevicePanel(QWidget *parent)
    : QGroupBox(tr("Run"), parent)
    , m_device(new ElidingComboBox(this)) // "cuda:0 NVIDIA H200 …" in a 330-px panel
    , m_reps(new QSpinBox(this))
    , m_launcher(new QLineEdit(this))
    , m_testButton(new QPushButton(tr("Test"), this))
    , m_connection(new QLabel(this))
    , m_runners(new QSpinBox(this))
    , m_runButton(new QPushButton(tr("Run"), this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
{
    setObjectName(QStringLiteral("devicePanel"));
    m_device->setObjectName(QStringLiteral("device"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    connect(m_device, &QComboBox::currentIndexChanged, this, &DevicePanel::deviceChanged);
    m_reps->setRange(1, 1000);
    m_reps->setValue(3);
    m_launcher->setObjectName(QStringLiteral("launcher"));
    m_launcher->setPlaceholderText(tr("local; or e.g. ssh gpu-box, srun --gres=gpu:1"));
    m_launcher->setToolTip(tr("Where the runner starts: empty for this machine, a host name (run through ssh), "
                              "or a prefix such as \"ssh -p 2222 me@gpu-box\" or \"srun -n1 --gpus-per-task 1\""));
    const QSettings settings;
    m_launcher->setCompleter(new QCompleter(
        new QStringListModel(settings.value(QLatin1String(kSavedLaunchersKey)).toStringList(), m_launcher),
        m_launcher));
    m_launcher->setText(settings.value(QLatin1String(kLauncherKey)).toString());
    connect(m_launcher, &QLineEdit::editingFinished, this, [this] {
        QSettings().setValue(QLatin1String(kLauncherKey), m_launcher->text().trimmed());
        emit launcherEdited();
    });
    m_testButton->setObjectName(QStringLiteral("testLauncher"));
    m_testButton->setToolTip(tr("Start a runner through this launcher and list its devices"));
    connect(m_testButton, &QPushButton::clicked, this, &DevicePanel::testLauncher);
    m_connection->setObjectName(QStringLiteral("connection"));
    m_connection->setWordWrap(true);
    m_connection->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_connection->hide();
    m_runners->setObjectName(QStringLiteral("runners"));
    m_runners->setRange(1, 64);
    m_runners->setToolTip(tr("Runners the sweep is dealt over, each started by the launcher: with "
                             "\"srun -n1 --gpus-per-task 1\" each gets a GPU of its own"));
    m_runButton->setObjectName(QStringLiteral("runButton"));
    // Keys for the two things done most here, wherever the focus is in the window; a button's
    // shortcut acts only while the button shows and is enabled, so Escape cancels only a run.
    m_runButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_runButton->setToolTip(tr("Run the sweep (%1)").arg(m_runButton->shortcut().toString(QKeySequence::NativeText)));
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelButton->setToolTip(tr("Stop the run; the points measured so far are kept (Esc)"));
    m_cancelButton->setEnabled(false);
    m_progress->setValue(0);
    connect(m_runButton, &QPushButton::clicked, this, &DevicePanel::runRequested);
    connect(m_cancelButton, &QPushButton::clicked, this, &DevicePanel::cancelRequested);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Device"), m_device);
    form->addRow(tr("Repetitions"), m_reps);
    auto *launchRow = new QHBoxLayout;
    launchRow->addWidget(m_launcher, 1);
    launchRow->addWidget(m_testButton);
    form->addRow(tr("Launcher"), launchRow);
    form->addRow(m_connection);
    form->addRow(tr("Runners"), m_runners);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    form->addRow(buttons);
    form->addRow(m_progress);
}

void DevicePanel::setDevices(const DeviceReport &report)
{
    m_devices = report;
    const QSignalBlocker block(m_device);
    m_device->clear();
    for (const DeviceEntry &d : report.devices)
        m_device->addItem(d.cuda() ? QStringLiteral("%1 (%2)").arg(d.name, d.id) : d.name, d.id);
    const int gpus = int(
        std::count_if(report.devices.cbegin(), report.devices.cend(), [](const DeviceEntry &d) { return d.cuda(); }));
    if (gpus > 1) // one runner per GPU, the sweep dealt over them
        m_device->addItem(tr("All %1 CUDA GPUs").arg(gpus), QLatin1String(kAllGpus));
    if (report.hasCuda())
        m_device->setCurrentIndex(1);
}

QString DevicePanel::deviceId() const
{
    return m_device->currentData().toString();
}

QString DevicePanel::deviceName() const
{
    return m_device->currentText();
}

bool DevicePanel::cudaSelected() const
{
    return deviceId().startsWith(QLatin1String("cuda"));
}

void DevicePanel::selectDevice(const QString &deviceId)
{
    const int i = m_device->findData(deviceId);
    if (i >= 0)
        m_device->setCurrentIndex(i);
}

int DevicePanel::repetitions() const
{
    return m_reps->value();
}

void DevicePanel::setRepetitions(int n)
{
    m_reps->setValue(n);
}

QString DevicePanel::launcherPrefix() const
{
    return launcherPrefixFor(m_launcher->text());
}

QList<RunnerLane> DevicePanel::lanesFor(RunSetup &setup) const
{
    const QString prefix = launcherPrefix();
    QList<RunnerLane> lanes;
    if (setup.device == QLatin1String(kAllGpus)) {
        for (const DeviceEntry &d : m_devices.devices)
            if (d.cuda())
                lanes << RunnerLane{prefix, d.id};
        setup.device = lanes.isEmpty() ? QStringLiteral("cuda") : lanes.first().device;
    }
    if (lanes.isEmpty())
        for (int i = 0; i < m_runners->value(); ++i)
            lanes << RunnerLane{prefix, QString()};
    return lanes;
}

void DevicePanel::setRunning(bool running)
{
    m_runButton->setEnabled(!running);
    m_cancelButton->setEnabled(running);
}

void DevicePanel::setProgress(int done, int total)
{
    m_progress->setRange(0, qMax(1, total));
    m_progress->setValue(done);
}

void DevicePanel::setStage(const QString &stage)
{
    m_progress->setFormat(stage.isEmpty() ? QStringLiteral("%p%") : stage + QStringLiteral(" (%p%)"));
    m_progress->setToolTip(stage);
}

void DevicePanel::rememberLauncher()
{
    remember(m_launcher->text());
}

void DevicePanel::remember(const QString &typed)
{
    const QString text = typed.trimmed();
    if (text.isEmpty())
        return;
    QSettings settings;
    QStringList saved = settings.value(QLatin1String(kSavedLaunchersKey)).toStringList();
    saved.removeAll(text);
    saved.prepend(text);
    while (saved.size() > 20)
        saved.removeLast();
    settings.setValue(QLatin1String(kSavedLaunchersKey), saved);
    if (auto *model = qobject_cast<QStringListModel *>(m_launcher->completer()->model()))
        model->setStringList(saved);
}

void DevicePanel::testLauncher()
{
    // A runner of its own, so a test never disturbs a run; it says what it found or why not.
    auto *probe = new RunnerClient(this);
    const QString typed = m_launcher->text().trimmed();
    m_testButton->setEnabled(false);
    m_connection->show();
    m_connection->setText(
        tr("Connecting through %1…").arg(typed.isEmpty() ? tr("this machine") : launcherPrefixFor(typed)));
    auto finish = [this, probe](const QString &text) {
        if (!probe->property("done").toBool()) {
            probe->setProperty("done", true);
            m_connection->setText(text);
            m_testButton->setEnabled(true);
            probe->stop();
            probe->deleteLater();
        }
    };
    connect(probe, &RunnerClient::devicesReceived, this, [this, probe, typed, finish](const DeviceReport &r) {
        QStringList names;
        for (const DeviceEntry &d : r.devices)
            names << d.name;
        remember(typed);
        finish(tr("Connected: runner %1; devices: %2").arg(probe->runnerVersion(), names.join(QStringLiteral(", "))));
    });
    connect(probe, &RunnerClient::connectionLost, this,
            [finish](const QString &why) { finish(tr("Not connected: %1").arg(why)); });
    QTimer::singleShot(30000, probe, [finish] { finish(tr("Not connected: no answer within 30 s")); });
    if (probe->start(launcherPrefixFor(typed)))
        probe->requestDevices();
}

} // namespace paperlab::playground
