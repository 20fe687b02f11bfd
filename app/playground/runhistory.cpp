#include "runhistory.h"

#include "rundetailsdialog.h"

#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>

namespace paperlab::playground {

QString runLabel(const RunRecord &run)
{
    QString label = QStringLiteral("%1 · %2 · %3")
                        .arg(run.name, run.createdAt.toLocalTime().toString(QStringLiteral("MMM d HH:mm")),
                             runStatusName(run.status));
    if (run.pinned)
        label += QStringLiteral(" · ") + QObject::tr("on slides");
    return label;
}

RunHistory::RunHistory(RunStore &store, QWidget *parent)
    : QListWidget(parent)
    , m_store(store)
{
    setObjectName(QStringLiteral("runHistory"));
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, &RunHistory::showMenu);
    connect(this, &QListWidget::itemChanged, this, [this] { emit overlayChanged(); });
}

void RunHistory::reload(qint64 paperId, const QString &kernel, qint64 checkRunId)
{
    const QList<qint64> checked = checkedRuns();
    m_paperId = paperId;
    m_kernel = kernel;
    const QSignalBlocker block(this);
    clear();
    const QList<RunRecord> runs = paperId > 0 ? m_store.runsForPaper(paperId) : m_store.runsForKernel(kernel);
    for (const RunRecord &run : runs) {
        if (!kernel.isEmpty() && run.setup.kernel != kernel)
            continue;
        auto *item = new QListWidgetItem(runLabel(run), this);
        item->setData(Qt::UserRole, run.id);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(run.id) || run.id == checkRunId ? Qt::Checked : Qt::Unchecked);
        QString tip = QStringLiteral("%1 on %2, runner %3").arg(run.setup.kernel, run.deviceName, run.runnerVersion);
        if (!run.message.isEmpty())
            tip += QStringLiteral("\n") + run.message;
        item->setToolTip(tip);
    }
}

QList<qint64> RunHistory::checkedRuns() const
{
    QList<qint64> out;
    for (int i = 0; i < count(); ++i)
        if (item(i)->checkState() == Qt::Checked)
            out << item(i)->data(Qt::UserRole).toLongLong();
    return out;
}

void RunHistory::setChecked(qint64 runId, bool on)
{
    for (int i = 0; i < count(); ++i)
        if (item(i)->data(Qt::UserRole).toLongLong() == runId)
            item(i)->setCheckState(on ? Qt::Checked : Qt::Unchecked);
}

void RunHistory::showMenu(const QPoint &pos)
{
    QListWidgetItem *item = itemAt(pos);
    if (!item)
        return;
    QMenu menu(this);
    fillMenu(menu, item->data(Qt::UserRole).toLongLong());
    menu.exec(mapToGlobal(pos));
}

void RunHistory::fillMenu(QMenu &menu, qint64 id)
{
    QAction *details = menu.addAction(tr("Details…"), this, [this, id] {
        if (const auto run = m_store.load(id)) {
            auto *dialog = new RunDetailsDialog(*run, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->show();
        }
    });
    details->setObjectName(QStringLiteral("runDetails"));
    menu.addAction(tr("Rename…"), this, [this, id] {
        const auto run = m_store.load(id);
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Rename run"), tr("Name:"), QLineEdit::Normal,
                                                   run ? run->name : QString(), &ok);
        if (ok && !name.trimmed().isEmpty()) {
            m_store.rename(id, name.trimmed());
            reload(m_paperId, m_kernel);
            emit overlayChanged();
        }
    });
    // The slide deck draws the paper's pinned runs (File › Export › Slides).
    const auto run = m_store.load(id);
    QAction *pin = menu.addAction(tr("Pin to slides"), this, [this, id](bool on) {
        m_store.setPinned(id, on);
        reload(m_paperId, m_kernel);
    });
    pin->setObjectName(QStringLiteral("pinToSlides"));
    pin->setCheckable(true);
    pin->setChecked(run && run->pinned);
    pin->setEnabled(run && run->paperId > 0); // slides are per paper
    menu.addAction(tr("Export CSV…"), this, [this, id] { emit exportCsvRequested(id); });
    menu.addSeparator();
    menu.addAction(tr("Delete"), this, [this, id] {
        if (QMessageBox::question(this, tr("Delete run"), tr("Delete this run and all its points?")) !=
            QMessageBox::Yes)
            return;
        m_store.remove(id);
        reload(m_paperId, m_kernel);
        emit overlayChanged();
    });
}

} // namespace paperlab::playground
