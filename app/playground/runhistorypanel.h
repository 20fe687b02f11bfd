#pragma once
// The Runs box: the stored runs (checked ones plotted) and, below them, the place for a
// view of the selected run's details (where, on what, how it went), told which run through
// currentRunChanged.

#include "runhistory.h"

#include <QGroupBox>

class QVBoxLayout;

namespace paperlab::playground {

class RunHistoryPanel : public QGroupBox {
    Q_OBJECT
public:
    RunHistoryPanel(RunStore &store, QWidget *parent = nullptr);

    RunHistory *history() const { return m_history; }
    // Shows `view` below the list (replacing an earlier one, which is deleted).
    void setDetailsView(QWidget *view);
    QWidget *detailsView() const { return m_details; }
    qint64 currentRun() const; // the selected run; 0: none

signals:
    void currentRunChanged(qint64 runId);

private:
    RunHistory *m_history;
    QVBoxLayout *m_layout;
    QWidget *m_details = nullptr;
};

} // namespace paperlab::playground
