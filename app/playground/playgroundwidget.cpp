#include "playgroundwidget.h"

#include "blockmaskview.h"
#include "chartexport.h"
#include "devicedefaults.h"
#include "paramform.h"
#include "runchartview.h"
#include "runhistory.h"
#include "runjsonimport.h"
#include "sweep.h"
#include "wheelguard.h"

#include "exporters/runcsvwriter.h"
#include "library.h"

#include <QCheckBox>
#include <algorithm>
#include <QCompleter>
#include <QStringListModel>
#include <QTimer>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QToolBar>
#include <QVBoxLayout>

namespace paperlab::playground {

namespace {

QString ceilingKey(const QString &device, const QString &what)
{
    return QStringLiteral("playground/ceiling/%1/%2").arg(device, what);
}

// What the user entered for this device, else the vendor's figures for a known GPU.
DeviceCeiling ceilingFor(const QString &device)
{
    const DeviceCeiling known = knownCeiling(device);
    const QSettings s;
    return {s.value(ceilingKey(device, QStringLiteral("tflops")), known.tflops).toDouble(),
            s.value(ceilingKey(device, QStringLiteral("gbps")), known.gbps).toDouble()};
}

// Block-sparse kernels compute only the blocks a mask keeps; the panel shows that mask.
bool showsBlockMask(const KernelInfo &k)
{
    return kernelFamilies(k).contains(QStringLiteral("sparse_attention"));
}

const char *const kLauncherKey = "playground/launcher";
const char *const kSavedLaunchersKey = "playground/savedLaunchers";   // hosts and prefixes that worked
constexpr const char *kAllGpus = "cuda:all";
}

PlaygroundWidget::PlaygroundWidget(Library &library, qint64 paperId, const QList<PaperKernel> &kernels, QWidget *parent)
    : QWidget(parent), m_library(library), m_paperId(paperId), m_kernels(kernels),
      m_store(std::make_unique<RunStore>(library)), m_session(new RunSession(*m_store, this)),
      m_formModel(new ParamFormModel(this))
{
    setObjectName(QStringLiteral("playground"));
    auto *layout = new QVBoxLayout(this);
    if (kernels.isEmpty()) {
        auto *none = new QLabel(tr("No kernel in the playground implements this paper or a topic related to it yet."), this);
        none->setObjectName(QStringLiteral("noKernel"));
        none->setWordWrap(true);
        layout->addWidget(none);
        return;
    }
    m_cpuNotice = new QLabel(tr("No CUDA device: running the CPU reference; speed figures are CPU figures."), this);
    m_cpuNotice->setObjectName(QStringLiteral("cpuNotice"));
    m_cpuNotice->setWordWrap(true);   // one long line would set the playground's minimum width
    m_cpuNotice->setStyleSheet(QStringLiteral("background:#fff4ce; color:#5c4400; padding:6px; border-radius:4px;"));
    m_cpuNotice->hide();
    m_errorBanner = new QLabel(this);
    m_errorBanner->setObjectName(QStringLiteral("errorBanner"));
    m_errorBanner->setWordWrap(true);
    m_errorBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorBanner->setStyleSheet(QStringLiteral("background:#fde7e9; color:#8a1c24; padding:6px; border-radius:4px;"));
    m_errorBanner->hide();

    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(tr("Export chart…"), this, &PlaygroundWidget::exportChart);
    toolbar->addAction(tr("Export CSV…"), this, [this] {
        const QList<qint64> runs = m_history->checkedRuns();
        if (!runs.isEmpty())
            exportCsv(runs.first());
    });
    toolbar->addAction(tr("Export all charts of this paper…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Export all charts of this paper to"));
        if (!folder.isEmpty())
            showError(exportAllCharts(folder));
    });
    toolbar->addAction(tr("Import runner JSON…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import runner JSON"), QString(), tr("JSON (*.json)"));
        if (!path.isEmpty()) {
            const QString error = importRunnerJson(path);
            if (!error.isEmpty())
                showError(error);
        }
    });

    m_speed = new RunChartView(RunChartView::Kind::Speed, this);
    m_speed->setObjectName(QStringLiteral("speedChart"));
    m_accuracy = new RunChartView(RunChartView::Kind::Accuracy, this);
    m_history = new RunHistory(*m_store, this);
    connect(m_speed, &RunChartView::exportCsvRequested, toolbar->actions().at(1), &QAction::trigger);
    connect(m_accuracy, &RunChartView::exportCsvRequested, toolbar->actions().at(1), &QAction::trigger);
    connect(m_history, &RunHistory::overlayChanged, this, &PlaygroundWidget::refreshCharts);
    connect(m_history, &RunHistory::exportCsvRequested, this, &PlaygroundWidget::exportCsv);

    auto *charts = new QSplitter(Qt::Vertical, this);
    charts->addWidget(m_speed);
    charts->addWidget(m_accuracy);
    // Beside the charts: a mask is square, so it fits the width the charts can spare.
    m_mask = new BlockMaskView(this);
    m_mask->setFixedWidth(260);
    m_mask->hide();
    auto *chartsRow = new QHBoxLayout;
    chartsRow->addWidget(charts, 1);
    chartsRow->addWidget(m_mask);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_cpuNotice);
    rightLayout->addWidget(m_errorBanner);
    rightLayout->addWidget(toolbar);
    rightLayout->addLayout(chartsRow, 1);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    // The form follows the panel's width: never a sideways scroll bar inside the paper tab.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(buildControls());
    scroll->setMinimumWidth(340);
    scroll->setMaximumWidth(420);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scroll);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(m_session, &RunSession::devicesChanged, this, &PlaygroundWidget::devicesArrived);
    connect(m_session, &RunSession::connectionProblem, this, &PlaygroundWidget::showError);
    connect(m_session, &RunSession::kernelsListed, this, [this](const QList<KernelInfo> &kernels) {
        m_unavailable.clear();
        for (const KernelInfo &k : kernels)
            for (const VariantInfo &v : k.variants)
                if (!v.unavailable.isEmpty())
                    m_unavailable[k.id].insert(v.id, v.unavailable);
        deviceChanged();
    });
    connect(m_session, &RunSession::progress, this, [this](int done, int total) {
        m_progress->setRange(0, qMax(1, total));
        m_progress->setValue(done);
    });
    connect(m_session, &RunSession::runStarted, this, [this](const RunRecord &run) {
        m_history->reload(m_paperId, kernelId(), run.id);
        refreshCharts();
    });
    connect(m_session, &RunSession::pointAdded, this, [this](qint64 runId, const RunPoint &p) {
        m_speed->addPoint(runId, p);
        m_accuracy->addPoint(runId, p);
        m_mask->showPoint(p);
        if (!p.error.isEmpty())
            showError(tr("%1 at %2: %3").arg(p.variant, p.sweepValue, p.error));
    });
    connect(m_session, &RunSession::runEnded, this, [this](const RunRecord &run) {
        m_runButton->setEnabled(true);
        m_cancelButton->setEnabled(false);
        if (run.status == RunStatus::Failed)
            showError(tr("The run failed: %1").arg(run.message));
        else if (!run.message.isEmpty())
            showError(run.message);
        m_history->reload(m_paperId, kernelId());
        emit runEnded(run);
    });

    m_launcher->setText(QSettings().value(QLatin1String(kLauncherKey)).toString());
    kernelChanged();
}

PlaygroundWidget::~PlaygroundWidget() = default;

QWidget *PlaygroundWidget::buildControls()
{
    auto *panel = new QWidget(this);
    auto *v = new QVBoxLayout(panel);

    m_kernelBox = new QComboBox(panel);
    m_kernelBox->setObjectName(QStringLiteral("kernelBox"));
    for (const PaperKernel &pk : m_kernels) {
        const KernelInfo *k = findLocalKernel(pk.kernelId);
        const QString name = k ? k->displayName : pk.kernelId;
        m_kernelBox->addItem(pk.own ? name : tr("%1 (related)").arg(name), pk.kernelId);
    }
    m_kernelNote = new QLabel(panel);
    m_kernelNote->setWordWrap(true);
    m_kernelNote->setObjectName(QStringLiteral("kernelNote"));
    v->addWidget(m_kernelBox);
    v->addWidget(m_kernelNote);
    connect(m_kernelBox, &QComboBox::currentIndexChanged, this, &PlaygroundWidget::kernelChanged);

    auto *params = new QGroupBox(tr("Parameters"), panel);
    auto *pl = new QVBoxLayout(params);
    m_form = new ParamForm(m_formModel, params);
    pl->addWidget(m_form);
    v->addWidget(params);

    auto *sweep = new QGroupBox(tr("Sweep"), panel);
    auto *sl = new QFormLayout(sweep);
    m_sweepParam = new QComboBox(sweep);
    m_sweepParam->setObjectName(QStringLiteral("sweepParam"));
    m_sweepMode = new QComboBox(sweep);
    m_sweepMode->addItem(tr("List"), int(SweepSpec::Mode::List));
    m_sweepMode->addItem(tr("Range, linear steps"), int(SweepSpec::Mode::Linear));
    m_sweepMode->addItem(tr("Range, log steps"), int(SweepSpec::Mode::Log));
    m_sweepList = new QLineEdit(sweep);
    m_sweepList->setObjectName(QStringLiteral("sweepList"));
    m_sweepList->setPlaceholderText(tr("e.g. 512, 1024, 2048"));
    m_sweepFrom = new QDoubleSpinBox(sweep);
    m_sweepTo = new QDoubleSpinBox(sweep);
    for (QDoubleSpinBox *s : {m_sweepFrom, m_sweepTo}) {
        s->setRange(0, 1e9);
        s->setDecimals(0);
    }
    m_sweepSteps = new QSpinBox(sweep);
    m_sweepSteps->setRange(2, 64);
    sl->addRow(tr("Parameter"), m_sweepParam);
    sl->addRow(tr("Values"), m_sweepMode);
    sl->addRow(tr("List"), m_sweepList);
    sl->addRow(tr("From"), m_sweepFrom);
    sl->addRow(tr("To"), m_sweepTo);
    sl->addRow(tr("Steps"), m_sweepSteps);
    connect(m_sweepParam, &QComboBox::currentIndexChanged, this, [this] { m_form->setSwept(m_sweepParam->currentData().toString()); });
    connect(m_sweepMode, &QComboBox::currentIndexChanged, this, &PlaygroundWidget::refreshSweepControls);
    v->addWidget(sweep);

    m_variantBox = new QGroupBox(tr("Variants"), panel);
    m_variantLayout = new QVBoxLayout(m_variantBox);
    v->addWidget(m_variantBox);

    auto *runBox = new QGroupBox(tr("Run"), panel);
    auto *rl = new QFormLayout(runBox);
    m_device = new QComboBox(runBox);
    m_device->setObjectName(QStringLiteral("device"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    connect(m_device, &QComboBox::currentIndexChanged, this, &PlaygroundWidget::deviceChanged);
    m_reps = new QSpinBox(runBox);
    m_reps->setRange(1, 1000);
    m_reps->setValue(3);
    m_launcher = new QLineEdit(runBox);
    m_launcher->setObjectName(QStringLiteral("launcher"));
    m_launcher->setPlaceholderText(tr("local; or e.g. ssh gpu-box, srun --gres=gpu:1"));
    m_launcher->setToolTip(tr("Where the runner starts: empty for this machine, a host name (run through ssh), "
                              "or a prefix such as \"ssh -p 2222 me@gpu-box\" or \"srun -n1 --gpus-per-task 1\""));
    m_launcher->setCompleter(new QCompleter(new QStringListModel(QSettings().value(QLatin1String(kSavedLaunchersKey)).toStringList(),
                                                                 m_launcher),
                                            m_launcher));
    connect(m_launcher, &QLineEdit::editingFinished, this, [this] {
        QSettings().setValue(QLatin1String(kLauncherKey), m_launcher->text().trimmed());
        m_session->setLauncher(launcherPrefixFor(m_launcher->text()));
        m_session->connectRunner();
    });
    m_testButton = new QPushButton(tr("Test"), runBox);
    m_testButton->setObjectName(QStringLiteral("testLauncher"));
    m_testButton->setToolTip(tr("Start a runner through this launcher and list its devices"));
    connect(m_testButton, &QPushButton::clicked, this, &PlaygroundWidget::testLauncher);
    m_connection = new QLabel(runBox);
    m_connection->setObjectName(QStringLiteral("connection"));
    m_connection->setWordWrap(true);
    m_connection->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_connection->hide();
    m_runners = new QSpinBox(runBox);
    m_runners->setObjectName(QStringLiteral("runners"));
    m_runners->setRange(1, 64);
    m_runners->setToolTip(tr("Runners the sweep is dealt over, each started by the launcher: with "
                             "\"srun -n1 --gpus-per-task 1\" each gets a GPU of its own"));
    // The ceiling each speed chart draws: the vendor's figures for a known GPU, or what the
    // user measured or looked up (remembered per device).
    auto makePeak = [runBox](const QString &name, const QString &suffix, double max) {
        auto *box = new QDoubleSpinBox(runBox);
        box->setObjectName(name);
        box->setRange(0, max);
        box->setDecimals(0);
        box->setSuffix(suffix);
        box->setSpecialValueText(QObject::tr("none"));
        return box;
    };
    m_peakTflops = makePeak(QStringLiteral("peakTflops"), QStringLiteral(" TFLOP/s"), 100000);
    m_peakGbps = makePeak(QStringLiteral("peakGbps"), QStringLiteral(" GB/s"), 100000);
    for (QDoubleSpinBox *box : {m_peakTflops, m_peakGbps}) {
        connect(box, &QDoubleSpinBox::editingFinished, this, [this] {
            QSettings s;
            s.setValue(ceilingKey(m_device->currentText(), QStringLiteral("tflops")), m_peakTflops->value());
            s.setValue(ceilingKey(m_device->currentText(), QStringLiteral("gbps")), m_peakGbps->value());
            refreshCharts();
        });
    }
    rl->addRow(tr("Device"), m_device);
    rl->addRow(tr("Peak compute"), m_peakTflops);
    rl->addRow(tr("Peak bandwidth"), m_peakGbps);
    rl->addRow(tr("Repetitions"), m_reps);
    auto *launchRow = new QHBoxLayout;
    launchRow->addWidget(m_launcher, 1);
    launchRow->addWidget(m_testButton);
    rl->addRow(tr("Launcher"), launchRow);
    rl->addRow(m_connection);
    rl->addRow(tr("Runners"), m_runners);
    auto *buttons = new QHBoxLayout;
    m_runButton = new QPushButton(tr("Run"), runBox);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"), runBox);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setEnabled(false);
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    rl->addRow(buttons);
    m_progress = new QProgressBar(runBox);
    m_progress->setValue(0);
    rl->addRow(m_progress);
    connect(m_runButton, &QPushButton::clicked, this, &PlaygroundWidget::run);
    connect(m_cancelButton, &QPushButton::clicked, this, &PlaygroundWidget::cancel);
    v->addWidget(runBox);

    auto *hist = new QGroupBox(tr("Runs (checked ones are plotted)"), panel);
    auto *hl = new QVBoxLayout(hist);
    hl->addWidget(m_history);
    m_history->setMinimumHeight(110);
    v->addWidget(hist);
    v->addStretch(1);
    for (QWidget *editor : panel->findChildren<QWidget *>()) {
        if ((qobject_cast<QAbstractSpinBox *>(editor) || qobject_cast<QComboBox *>(editor)) && !m_form->isAncestorOf(editor))
            takeWheelOnlyWhenFocused(editor);   // the parameter form guards its own editors
        // A combo box as wide as its longest entry (a kernel's full name) widened the form
        // past the paper tab; it shows what fits and the whole entry when opened.
        if (auto *combo = qobject_cast<QComboBox *>(editor)) {
            combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
            combo->setMinimumContentsLength(10);
        }
    }
    return panel;
}

const KernelInfo *PlaygroundWidget::kernel() const
{
    return findLocalKernel(kernelId());
}

QString PlaygroundWidget::kernelId() const
{
    return m_kernelBox ? m_kernelBox->currentData().toString() : QString();
}

bool PlaygroundWidget::selectKernel(const QString &id)
{
    const int i = m_kernelBox ? m_kernelBox->findData(id) : -1;
    if (i >= 0)
        m_kernelBox->setCurrentIndex(i);
    return i >= 0;
}

bool PlaygroundWidget::cudaSelected() const
{
    return m_device->currentData().toString().startsWith(QLatin1String("cuda"));
}

void PlaygroundWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The runner starts when the playground is first seen, not for every page built.
    if (!m_connected && m_kernelBox) {
        m_connected = true;
        m_session->setLauncher(launcherPrefixFor(m_launcher->text()));
        m_session->connectRunner();
    }
}

void PlaygroundWidget::devicesArrived(const DeviceReport &report)
{
    m_devices = report;
    const QSignalBlocker block(m_device);
    m_device->clear();
    for (const DeviceEntry &d : report.devices)
        m_device->addItem(d.cuda() ? QStringLiteral("%1 (%2)").arg(d.name, d.id) : d.name, d.id);
    const int gpus = int(std::count_if(report.devices.cbegin(), report.devices.cend(), [](const DeviceEntry &d) { return d.cuda(); }));
    if (gpus > 1)   // one runner per GPU, the sweep dealt over them
        m_device->addItem(tr("All %1 CUDA GPUs").arg(gpus), QLatin1String(kAllGpus));
    m_cpuNotice->setVisible(!report.hasCuda());
    if (report.hasCuda())
        m_device->setCurrentIndex(1);
    deviceChanged();
}

void PlaygroundWidget::selectDevice(const QString &deviceId)
{
    const int i = m_device->findData(deviceId);
    if (i >= 0)
        m_device->setCurrentIndex(i);
}

void PlaygroundWidget::deviceChanged()
{
    const KernelInfo *k = kernel();
    if (!k)
        return;
    const bool cuda = cudaSelected();
    m_cpuNotice->setVisible(!cuda && !m_devices.devices.isEmpty());
    m_formModel->setKernel(*k, cuda);
    const DeviceDefaults d = defaultsFor(*k, cuda);
    for (QCheckBox *c : m_variantChecks) {
        const VariantInfo *var = k->variant(c->property("variant").toString());
        const QString why = m_unavailable.value(k->id).value(var->id);
        c->setChecked(d.variants.contains(var->id) && why.isEmpty());
        // The CPU reference can run beside CUDA variants; a baseline the host lacks cannot run.
        c->setEnabled((var->cuda == cuda || !var->cuda) && why.isEmpty());
        c->setText(why.isEmpty() ? var->displayName : tr("%1 (unavailable)").arg(var->displayName));
        c->setToolTip(why.isEmpty() ? QStringLiteral("%1\n%2").arg(var->displayName, var->description)
                                    : tr("%1\nUnavailable on the runner's host: %2").arg(var->displayName, why));
    }
    const int p = m_sweepParam->findData(d.sweepParam);
    m_sweepParam->setCurrentIndex(p >= 0 ? p : 0);
    m_sweepMode->setCurrentIndex(m_sweepMode->findData(int(d.sweep.mode)));
    m_sweepFrom->setValue(d.sweep.from);
    m_sweepTo->setValue(d.sweep.to);
    m_sweepSteps->setValue(qMax(2, d.sweep.steps));
    m_sweepList->setText(sweepValues(d.sweep, true).values.join(QStringLiteral(", ")));
    m_form->setSwept(m_sweepParam->currentData().toString());
    const DeviceCeiling c = ceilingFor(m_device->currentText());
    m_peakTflops->setValue(c.tflops);
    m_peakGbps->setValue(c.gbps);
    m_speed->setCeiling(c.tflops, c.gbps);
    refreshSweepControls();
}

void PlaygroundWidget::kernelChanged()
{
    const KernelInfo *k = kernel();
    if (!k)
        return;
    const PaperKernel &pk = m_kernels.at(qMax(0, m_kernelBox->currentIndex()));
    m_kernelNote->setText(pk.own ? tr("This paper's kernel. %1").arg(k->description)
                                 : tr("<i>Related, not this paper's own kernel</i> (%1). %2").arg(pk.reason, k->description));
    m_sweepParam->clear();
    m_sweepParam->addItem(tr("(none: one point)"), QString());
    for (const ParamInfo &p : k->params)
        if (p.type != ParamInfo::Type::Bool)
            m_sweepParam->addItem(p.name, p.name);
    qDeleteAll(m_variantChecks);
    m_variantChecks.clear();
    for (const VariantInfo &var : k->variants) {
        auto *c = new QCheckBox(var.displayName, m_variantBox);
        c->setObjectName(QStringLiteral("variant_") + var.id);
        c->setProperty("variant", var.id);
        c->setToolTip(QStringLiteral("%1\n%2").arg(var.displayName, var.description));
        c->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);   // a long name must not widen the form
        m_variantLayout->addWidget(c);
        m_variantChecks << c;
    }
    m_speed->setKernel(*k);
    m_accuracy->setKernel(*k);
    m_mask->clear();
    m_mask->setVisible(showsBlockMask(*k));
    m_speed->setMetric(k->speedMetric);
    deviceChanged();
    m_history->reload(m_paperId, k->id);
    // Show the newest run straight away, so a page opens with its last result.
    if (m_history->count() > 0 && m_history->checkedRuns().isEmpty())
        m_history->item(0)->setCheckState(Qt::Checked);
    refreshCharts();
}

void PlaygroundWidget::refreshSweepControls()
{
    const bool list = m_sweepMode->currentData().toInt() == int(SweepSpec::Mode::List);
    m_sweepList->setEnabled(list);
    m_sweepFrom->setEnabled(!list);
    m_sweepTo->setEnabled(!list);
    m_sweepSteps->setEnabled(!list);
}

void PlaygroundWidget::setSweep(const QString &param, const QString &valuesList)
{
    m_sweepParam->setCurrentIndex(qMax(0, m_sweepParam->findData(param)));
    m_sweepMode->setCurrentIndex(0);
    m_sweepList->setText(valuesList);
}

void PlaygroundWidget::setRepetitions(int n)
{
    m_reps->setValue(n);
}

bool PlaygroundWidget::running() const
{
    return m_session->running();
}

void PlaygroundWidget::refreshCharts()
{
    QList<RunRecord> runs;
    bool geometric = false;
    for (qint64 id : m_history->checkedRuns())
        if (auto r = m_store->load(id)) {
            QList<double> xs;
            for (const QString &v : r->setup.sweepValues)
                xs << v.toDouble();
            geometric = geometric || looksGeometric(xs);
            runs << *r;
        }
    // Plotted runs measured on a known GPU (imported ones) bring that GPU's ceiling.
    // The ceiling the user sees in the form, unless the plotted runs were measured on another
    // GPU (an imported H100 run on a laptop): then that GPU's.
    DeviceCeiling c{m_peakTflops->value(), m_peakGbps->value()};
    if (!runs.isEmpty() && runs.first().deviceName != m_device->currentText()
        && knownCeiling(runs.first().deviceName).tflops > 0)
        c = ceilingFor(runs.first().deviceName);
    m_speed->setCeiling(c.tflops, c.gbps);
    m_speed->setLogX(geometric);
    m_accuracy->setLogX(geometric);
    m_speed->setRuns(runs);
    m_accuracy->setRuns(runs);
    // The newest plotted run's last mask (stored runs keep theirs in run_points).
    m_mask->clear();
    for (const RunRecord &r : runs)
        for (const RunPoint &p : r.points)
            m_mask->showPoint(p);
}

void PlaygroundWidget::run()
{
    const KernelInfo *k = kernel();
    if (!k || m_session->running())
        return;
    m_errorBanner->hide();
    RunSetup setup;
    setup.kernel = k->id;
    setup.device = m_device->currentData().toString();
    setup.repetitions = m_reps->value();
    setup.wantMask = showsBlockMask(*k);
    setup.fixed = m_formModel->values();
    setup.sweepParam = m_sweepParam->currentData().toString();
    if (!setup.sweepParam.isEmpty()) {
        SweepSpec spec;
        spec.mode = SweepSpec::Mode(m_sweepMode->currentData().toInt());
        spec.list = m_sweepList->text();
        spec.from = m_sweepFrom->value();
        spec.to = m_sweepTo->value();
        spec.steps = m_sweepSteps->value();
        const ParamInfo *p = k->param(setup.sweepParam);
        const SweepValues values = sweepValues(spec, p && p->type == ParamInfo::Type::Int);
        if (!values.error.isEmpty()) {
            showError(tr("Sweep: %1").arg(values.error));
            return;
        }
        setup.sweepValues = values.values;
        setup.fixed.remove(setup.sweepParam);
    }
    for (QCheckBox *c : m_variantChecks)
        if (c->isChecked() && c->isEnabled())
            setup.variants << c->property("variant").toString();
    if (setup.variants.isEmpty()) {
        showError(tr("Choose at least one variant to run."));
        return;
    }
    m_session->setLanes(lanesFor(setup));
    rememberLauncher(m_launcher->text());
    // Only the new run is drawn while it streams; older ones come back with the checkboxes.
    for (qint64 id : m_history->checkedRuns())
        m_history->setChecked(id, false);
    m_progress->setRange(0, qMax(1, int(setup.sweepValues.size() * setup.variants.size())));
    m_progress->setValue(0);
    m_runButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_session->start(setup, m_paperId);
}

QList<RunnerLane> PlaygroundWidget::lanesFor(RunSetup &setup) const
{
    const QString prefix = launcherPrefixFor(m_launcher->text());
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

void PlaygroundWidget::rememberLauncher(const QString &typed)
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

void PlaygroundWidget::testLauncher()
{
    // A runner of its own, so a test never disturbs a run; it says what it found or why not.
    auto *probe = new RunnerClient(this);
    const QString typed = m_launcher->text().trimmed();
    m_testButton->setEnabled(false);
    m_connection->show();
    m_connection->setText(tr("Connecting through %1…").arg(typed.isEmpty() ? tr("this machine") : launcherPrefixFor(typed)));
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
        rememberLauncher(typed);
        finish(tr("Connected: runner %1; devices: %2").arg(probe->runnerVersion(), names.join(QStringLiteral(", "))));
    });
    connect(probe, &RunnerClient::connectionLost, this, [finish](const QString &why) { finish(tr("Not connected: %1").arg(why)); });
    QTimer::singleShot(30000, probe, [finish] { finish(tr("Not connected: no answer within 30 s")); });
    if (probe->start(launcherPrefixFor(typed)))
        probe->requestDevices();
}

void PlaygroundWidget::cancel()
{
    m_session->cancel();
}

QString PlaygroundWidget::importRunnerJson(const QString &path)
{
    const ImportedRuns imported = importRunnerJsonFile(path);
    if (!imported.error.isEmpty())
        return imported.error;
    for (RunRecord run : imported.runs) {
        run.paperId = m_paperId;
        m_store->insert(run);
        if (run.setup.kernel == kernelId())
            m_history->reload(m_paperId, kernelId(), run.id);
    }
    refreshCharts();
    return {};
}

void PlaygroundWidget::exportCsv(qint64 runId)
{
    const auto run = m_store->load(runId);
    if (!run)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export run as CSV"), run->name + QStringLiteral(".csv"),
                                                      tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !writeRunCsv(*run, path, &error))
        showError(error);
}

void PlaygroundWidget::exportChart()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export charts"), QStringLiteral("speed.png"),
                                                      tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    // Both charts: the accuracy one beside the speed one's file, "-accuracy" added.
    const QFileInfo fi(path);
    const QString other = fi.path() + QLatin1Char('/') + fi.completeBaseName() + QStringLiteral("-accuracy.") + fi.suffix();
    QString error;
    if (!m_speed->exportTo(path, &error) || !m_accuracy->exportTo(other, &error))
        showError(error);
}

QString PlaygroundWidget::exportAllCharts(const QString &folder)
{
    const ChartExportResult r = playground::exportAllCharts(*m_store, m_paperId, folder);
    if (r.error.isEmpty() && r.files.isEmpty())
        return tr("This paper has no stored runs to export.");
    return r.error;
}

void PlaygroundWidget::showError(const QString &message)
{
    m_errorBanner->setText(message);
    m_errorBanner->setVisible(!message.isEmpty());
}

} // namespace paperlab::playground
