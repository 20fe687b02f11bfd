#include "runhistorypanel.h"

#include <QVBoxLayout>

namespace paperlab::playground {

RunHistoryPanel::RunHistoryPanel(RunStore &store, QWidget *parent)
    : QGroupBox(tr("Runs (checked ones are plotted)"), parent)
    , m_history(new RunHistory(store, this))
    , m_layout(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("runHistoryPanel"));
    m_history->setMinimumHeight(110);
    m_layout->addWidget(m_history);
    connect(m_history, &QListWidget::currentItemChanged, this, [this] { emit currentRunChanged(currentRun()); });
}

void RunHistoryPanel::setDetailsView(QWidget *view)
{
    if (view == m_details)
        return;
    delete m_details;
    m_details = view;
    if (view)
        m_layout->addWidget(view);
}

qint64 RunHistoryPanel::currentRun() const
{
    const QListWidgetItem *item = m_history->currentItem();
    return item ? item->data(Qt::UserRole).toLongLong() : 0;
}

} // namespace paperlab::playground
