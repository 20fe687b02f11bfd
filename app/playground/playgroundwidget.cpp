#include "playgroundwidget.h"

#include "blockmaskview.h"
#include "chartarea.h"
#include "chartexport.h"
#include "claimoverlays.h"
#include "colourlabel.h"
#include "devicedefaults.h"
#include "devicepanel.h"
#include "exporters/runcsvwriter.h"
#include "kernelpicker.h"
#include "lastfolder.h"
#include "library.h"
#include "paramform.h"
#include "runchartview.h"
#include "rundetailsdialog.h"
#include "runhistory.h"
#include "runhistorypanel.h"
#include "runjsonimport.h"
#include "sweepeditor.h"
#include "variantpicker.h"
#include "wheelguard.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QSplitter>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace paperlab::playground {

namespace {

constexpr int kControlsMinWidth = 340;
constexpr int kControlsMaxWidth = 420; // beside the charts; wider, the form only grows gaps

// A notice above the charts in a tint of the page (amber, red): the same pale yellow on a
// dark window was a glaring patch.
QLabel *makeBanner(const QString &name, const QColor &tone, QWidget *parent)
{
    auto *label = new ColourLabel([tone](const QPalette &palette) { return noticeColours(palette, tone); },
                                  QStringLiteral("padding:6px; border-radius:4px;"), parent);
    label->setObjectName(name);
    label->setWordWrap(true); // one long line would set the playground's minimum width
    label->hide();
    return label;
}

} // namespace

PlaygroundWidget::PlaygroundWidget(Library &library, qint64 paperId, const QList<PaperKernel> &kernels, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
    , m_paperId(paperId)
    , m_kernels(kernels)
    , m_store(std::make_unique<RunStore>(library))
    , m_session(new RunSession(*m_store, this))
    , m_formModel(new ParamFormModel(this))
{
    setObjectName(QStringLiteral("playground"));
    auto *layout = new QVBoxLayout(this);
    if (kernels.isEmpty()) {
        auto *none =
            new QLabel(tr("No kernel in the playground implements this paper or a topic related to it yet."), this);
        none->setObjectName(QStringLiteral("noKernel"));
        none->setWordWrap(true);
        layout->addWidget(none);
        return;
    }
    m_controlsScroll = new QScrollArea(this);
    m_controlsScroll->setWidgetResizable(true);
    // The form follows the panel's width: never a sideways scroll bar inside the paper tab.
    m_controlsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_controls = buildControls();
    m_controlsScroll->setWidget(m_controls);
    m_controlsScroll->setMinimumWidth(kControlsMinWidth);
    m_controlsScroll->setMaximumWidth(kControlsMaxWidth);
    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(m_controlsScroll);
    m_split->addWidget(buildCharts());
    m_split->setStretchFactor(1, 1);
    layout->addWidget(m_split, 1);

    connectSession();
    kernelChanged();
}

PlaygroundWidget::~PlaygroundWidget() = default;

QWidget *PlaygroundWidget::buildControls()
{
    auto *panel = new QWidget(this);
    auto *v = new QVBoxLayout(panel);
    m_picker = new KernelPicker(m_kernels, panel);
    auto *params = new QGroupBox(tr("Parameters"), panel);
    m_form = new ParamForm(m_formModel, params);
    (new QVBoxLayout(params))->addWidget(m_form);
    m_sweep = new SweepEditor(panel);
    m_variants = new VariantPicker(panel);
    m_devicePanel = new DevicePanel(panel);
    m_historyPanel = new RunHistoryPanel(*m_store, panel);
    for (QWidget *part :
         std::initializer_list<QWidget *>{m_picker, params, m_sweep, m_variants, m_devicePanel, m_historyPanel})
        v->addWidget(part);
    v->addStretch(1);

    connect(m_picker, &KernelPicker::kernelChanged, this, &PlaygroundWidget::kernelChanged);
    connect(m_sweep, &SweepEditor::paramChanged, m_form, &ParamForm::setSwept);
    connect(m_devicePanel, &DevicePanel::deviceChanged, this, &PlaygroundWidget::deviceChanged);
    connect(m_devicePanel, &DevicePanel::launcherEdited, this, [this] {
        m_session->setLauncher(m_devicePanel->launcherPrefix());
        m_session->connectRunner();
    });
    connect(m_devicePanel, &DevicePanel::runRequested, this, &PlaygroundWidget::run);
    connect(m_devicePanel, &DevicePanel::cancelRequested, this, &PlaygroundWidget::cancel);
    connect(m_historyPanel->history(), &RunHistory::overlayChanged, this, &PlaygroundWidget::refreshCharts);
    connect(m_historyPanel->history(), &RunHistory::exportCsvRequested, this, &PlaygroundWidget::exportCsv);
    // The selected run's environment below the list: clocks, timing discipline, ceilings.
    auto *details = new RunDetailsView(m_historyPanel);
    details->setMinimumHeight(160);
    m_historyPanel->setDetailsView(details);
    connect(m_historyPanel, &RunHistoryPanel::currentRunChanged, details, [this, details](qint64 runId) {
        const auto run = runId > 0 ? m_store->load(runId) : std::nullopt;
        if (run)
            details->setRun(*run);
        else
            details->clear();
    });

    for (QWidget *editor : panel->findChildren<QWidget *>()) {
        if ((qobject_cast<QAbstractSpinBox *>(editor) || qobject_cast<QComboBox *>(editor)) &&
            !m_form->isAncestorOf(editor))
            takeWheelOnlyWhenFocused(editor); // the parameter form guards its own editors
        // A combo box as wide as its longest entry (a kernel's full name) widened the form
        // past the paper tab; it shows what fits and the whole entry when opened.
        if (auto *combo = qobject_cast<QComboBox *>(editor)) {
            combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
            combo->setMinimumContentsLength(10);
        }
    }
    return panel;
}

QWidget *PlaygroundWidget::buildCharts()
{
    auto *right = new QWidget(this);
    m_cpuNotice = makeBanner(QStringLiteral("cpuNotice"), QColor(0xf0, 0xb4, 0x00), right);
    m_cpuNotice->setText(tr("No CUDA device: running the CPU reference; speed figures are CPU figures."));
    m_errorBanner = makeBanner(QStringLiteral("errorBanner"), QColor(0xd9, 0x30, 0x25), right);
    m_errorBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The three exports behind one "Export" button: as four labelled buttons the toolbar was
    // wider than the charts even at 1500 px, and "Import runner JSON…" went into the
    // toolbar's overflow (»), where nobody looked for it.
    auto *exportMenu = new QMenu(right);
    exportMenu->setObjectName(QStringLiteral("chartExportMenu"));
    exportMenu->addAction(tr("Chart…"), this, &PlaygroundWidget::exportChart);
    QAction *exportCsvAction = exportMenu->addAction(tr("CSV of the checked run…"), this, [this] {
        const QList<qint64> runs = history()->checkedRuns();
        if (!runs.isEmpty())
            exportCsv(runs.first());
    });
    exportMenu->addAction(tr("All charts of this paper…"), this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, tr("Export all charts of this paper to"), lastFolder(u"export"));
        if (folder.isEmpty())
            return;
        rememberFolder(u"export", folder);
        showError(exportAllCharts(folder));
    });
    auto *toolbar = new QToolBar(right);
    toolbar->setObjectName(QStringLiteral("chartToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    QAction *exportAction = exportMenu->menuAction();
    exportAction->setText(tr("Export"));
    toolbar->addAction(exportAction);
    if (auto *button = qobject_cast<QToolButton *>(toolbar->widgetForAction(exportAction)))
        button->setPopupMode(QToolButton::InstantPopup);
    toolbar->addAction(tr("Import runner JSON…"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Import runner JSON"), lastFolder(u"import"), tr("JSON (*.json)"));
        if (!path.isEmpty()) {
            rememberFolder(u"import", QFileInfo(path).absolutePath());
            const QString error = importRunnerJson(path);
            if (!error.isEmpty())
                showError(error);
        }
    });

    m_charts = new ChartArea(right);
    connect(m_charts, &ChartArea::exportCsvRequested, exportCsvAction, &QAction::trigger);
    connect(m_charts, &ChartArea::ceilingEdited, this, &PlaygroundWidget::refreshCharts);
    auto *v = new QVBoxLayout(right);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(m_cpuNotice);
    v->addWidget(m_errorBanner);
    v->addWidget(toolbar);
    v->addWidget(m_charts, 1);
    return right;
}

void PlaygroundWidget::connectSession()
{
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
    connect(m_session, &RunSession::progress, m_devicePanel, &DevicePanel::setProgress);
    connect(m_session, &RunSession::stageChanged, m_devicePanel, &DevicePanel::setStage);
    connect(m_session, &RunSession::runStarted, this, [this](const RunRecord &run) {
        history()->reload(m_paperId, kernelId(), run.id);
        refreshCharts();
    });
    connect(m_session, &RunSession::pointAdded, this, [this](qint64 runId, const RunPoint &p) {
        m_charts->addPoint(runId, p);
        if (!p.error.isEmpty())
            showError(tr("%1 at %2: %3").arg(p.variant, p.sweepValue, p.error));
    });
    connect(m_session, &RunSession::runEnded, this, [this](const RunRecord &run) {
        m_devicePanel->setRunning(false);
        m_devicePanel->setStage(QString());
        if (run.status == RunStatus::Failed)
            showError(tr("The run failed: %1").arg(run.message));
        else if (!run.message.isEmpty())
            showError(run.message);
        history()->reload(m_paperId, kernelId());
        refreshCharts(); // the environment (the measured ceilings) came with the run's end
        emit runEnded(run);
    });
}

RunChartView *PlaygroundWidget::speedChart() const
{
    return m_charts ? m_charts->speedChart() : nullptr;
}

RunChartView *PlaygroundWidget::accuracyChart() const
{
    return m_charts ? m_charts->accuracyChart() : nullptr;
}

RunHistory *PlaygroundWidget::history() const
{
    return m_historyPanel ? m_historyPanel->history() : nullptr;
}

BlockMaskView *PlaygroundWidget::maskView() const
{
    return m_charts ? m_charts->maskView() : nullptr;
}

QString PlaygroundWidget::kernelId() const
{
    return m_picker ? m_picker->kernelId() : QString();
}

bool PlaygroundWidget::selectKernel(const QString &id)
{
    return m_picker && m_picker->select(id);
}

int PlaygroundWidget::sideBySideWidth() const
{
    if (!m_split)
        return 0;
    const QMargins margins = layout()->contentsMargins();
    const int charts = std::max(m_charts->parentWidget()->minimumSizeHint().width(), m_charts->minimumWidthBeside());
    return kControlsMinWidth + m_split->handleWidth() + charts + margins.left() + margins.right();
}

bool PlaygroundWidget::isStacked() const
{
    return m_split && m_split->orientation() == Qt::Vertical;
}

void PlaygroundWidget::setStacked(bool stacked)
{
    if (!m_split || (stacked == isStacked() && m_placed))
        return;
    m_placed = true;
    // Stacked, the form is the splitter's own first part at its whole height: inside its
    // scroll area it would have a second vertical scroll bar within the page's, with the
    // charts out of reach below it.
    m_split->setOrientation(stacked ? Qt::Vertical : Qt::Horizontal);
    m_charts->setMaskBelow(stacked);
    if (stacked) {
        m_controlsScroll->takeWidget();
        m_split->insertWidget(0, m_controls);
        m_controlsScroll->hide();
    } else {
        m_controls->setMinimumHeight(0);
        m_controlsScroll->setWidget(m_controls);
        m_controlsScroll->show();
        // Widths afresh (stacked, the sizes were heights; the first ones came from a window
        // still being laid out): the charts as wide as they ask, as far as the form's minimum
        // allows, and the form no wider than its maximum (beyond it a blank gap opened).
        const int total = m_split->width() - m_split->handleWidth();
        const int charts = std::max(total - kControlsMaxWidth,
                                    std::min(total - kControlsMinWidth, m_charts->parentWidget()->sizeHint().width()));
        m_split->setSizes({total - charts, charts});
    }
    m_controls->show();
    fitControlsHeight();
}

void PlaygroundWidget::fitControlsHeight()
{
    // Stacked, the splitter would squeeze the form's rows to their minimum (editors cut in
    // half) to give the charts the rest: the form keeps its height and the page scrolls.
    // Its wrapped texts (the kernel's note) are taller the narrower it is, which the splitter
    // does not ask: the height for the width it has.
    if (!isStacked())
        return;
    const int width = m_split->width();
    const int height = m_controls->hasHeightForWidth() ? m_controls->heightForWidth(width) : -1;
    m_controls->setMinimumHeight(std::max(height, m_controls->sizeHint().height()));
}

void PlaygroundWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitControlsHeight();
}

void PlaygroundWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // The runner starts when the playground is first seen, not for every page built.
    if (!m_connected && m_picker) {
        m_connected = true;
        m_session->setLauncher(m_devicePanel->launcherPrefix());
        m_session->connectRunner();
    }
}

void PlaygroundWidget::devicesArrived(const DeviceReport &report)
{
    m_devicePanel->setDevices(report);
    m_cpuNotice->setVisible(!report.hasCuda());
    deviceChanged();
}

void PlaygroundWidget::selectDevice(const QString &deviceId)
{
    if (m_devicePanel)
        m_devicePanel->selectDevice(deviceId);
}

void PlaygroundWidget::deviceChanged()
{
    const KernelInfo *k = m_picker->kernel();
    if (!k)
        return;
    const bool cuda = m_devicePanel->cudaSelected();
    m_cpuNotice->setVisible(!cuda && !m_devicePanel->devices().devices.isEmpty());
    m_formModel->setKernel(*k, cuda);
    DeviceDefaults d = defaultsFor(*k, cuda);
    // The paper's own variant is chosen even where the device's defaults leave it out.
    if (const QString own = m_picker->paperVariant(); !own.isEmpty() && !d.variants.contains(own))
        d.variants << own;
    m_variants->applyDevice(*k, cuda, d.variants, m_unavailable.value(k->id));
    m_sweep->applyDefaults(d.sweepParam, d.sweep);
    m_form->setSwept(m_sweep->param());
    m_charts->showDevice(m_devicePanel->deviceName());
}

void PlaygroundWidget::kernelChanged()
{
    const KernelInfo *k = m_picker->kernel();
    if (!k)
        return;
    m_sweep->setKernel(*k);
    m_variants->setKernel(*k);
    m_charts->setKernel(*k);
    deviceChanged();
    history()->reload(m_paperId, k->id);
    // Show the newest run straight away, so a page opens with its last result.
    if (history()->count() > 0 && history()->checkedRuns().isEmpty())
        history()->item(0)->setCheckState(Qt::Checked);
    refreshCharts();
    fitControlsHeight(); // another kernel, another form
}

void PlaygroundWidget::setSweep(const QString &param, const QString &valuesList)
{
    if (m_sweep)
        m_sweep->setList(param, valuesList);
}

void PlaygroundWidget::setRepetitions(int n)
{
    if (m_devicePanel)
        m_devicePanel->setRepetitions(n);
}

bool PlaygroundWidget::running() const
{
    return m_session->running();
}

void PlaygroundWidget::refreshCharts()
{
    QList<RunRecord> runs;
    for (qint64 id : history()->checkedRuns())
        if (auto r = m_store->load(id))
            runs << *r;
    m_charts->setRuns(runs);
    if (const KernelInfo *k = m_picker ? m_picker->kernel() : nullptr) {
        try {
            m_charts->setOverlays(claimOverlays(m_library, *m_store, m_paperId, *k, runs));
        } catch (const std::exception &e) {
            showError(tr("The papers' claims could not be read: %1").arg(QString::fromUtf8(e.what())));
        }
    }
}

void PlaygroundWidget::run()
{
    const KernelInfo *k = m_picker ? m_picker->kernel() : nullptr;
    if (!k || m_session->running())
        return;
    m_errorBanner->hide();
    RunSetup setup;
    setup.kernel = k->id;
    setup.device = m_devicePanel->deviceId();
    setup.repetitions = m_devicePanel->repetitions();
    setup.wantMask = showsBlockMask(*k);
    setup.fixed = m_formModel->values();
    setup.sweepParam = m_sweep->param();
    if (!setup.sweepParam.isEmpty()) {
        const ParamInfo *p = k->param(setup.sweepParam);
        const SweepValues values = m_sweep->values(p && p->type == ParamInfo::Type::Int);
        if (!values.error.isEmpty()) {
            showError(tr("Sweep: %1").arg(values.error));
            return;
        }
        setup.sweepValues = values.values;
        setup.fixed.remove(setup.sweepParam);
    }
    setup.variants = m_variants->checked();
    if (setup.variants.isEmpty()) {
        showError(tr("Choose at least one variant to run."));
        return;
    }
    m_session->setLanes(m_devicePanel->lanesFor(setup));
    m_devicePanel->rememberLauncher();
    // Only the new run is drawn while it streams; older ones come back with the checkboxes.
    for (qint64 id : history()->checkedRuns())
        history()->setChecked(id, false);
    m_devicePanel->setProgress(0, int(setup.sweepValues.size() * setup.variants.size()));
    m_devicePanel->setRunning(true);
    m_session->start(setup, m_paperId);
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
            history()->reload(m_paperId, kernelId(), run.id);
    }
    refreshCharts();
    return {};
}

void PlaygroundWidget::exportCsv(qint64 runId)
{
    const auto run = m_store->load(runId);
    if (!run)
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export run as CSV"), QDir(lastFolder(u"export")).filePath(run->name + QStringLiteral(".csv")),
        tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    rememberFolder(u"export", QFileInfo(path).absolutePath());
    QString error;
    if (!writeRunCsv(*run, path, &error))
        showError(error);
}

void PlaygroundWidget::exportChart()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export charts"),
                                                      QDir(lastFolder(u"export")).filePath(QStringLiteral("speed.png")),
                                                      tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    rememberFolder(u"export", QFileInfo(path).absolutePath());
    // Both charts: the accuracy one beside the speed one's file, "-accuracy" added.
    const QFileInfo fi(path);
    const QString other =
        fi.path() + QLatin1Char('/') + fi.completeBaseName() + QStringLiteral("-accuracy.") + fi.suffix();
    QString error;
    if (!speedChart()->exportTo(path, &error) || !accuracyChart()->exportTo(other, &error))
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
