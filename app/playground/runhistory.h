#pragma once
// The stored runs of a paper (or a kernel), newest first. Checked runs are overlaid on the
// charts; details, rename, pin to slides, delete and CSV export from the context menu.

#include "runstore.h"

#include <QListWidget>

class QMenu;

namespace paperlab::playground {

class RunHistory : public QListWidget {
    Q_OBJECT
public:
    RunHistory(RunStore &store, QWidget *parent = nullptr);
    // Lists the runs of the paper (paperId > 0) or else of the kernel.
    void reload(qint64 paperId, const QString &kernel, qint64 checkRunId = 0);
    QList<qint64> checkedRuns() const;
    void setChecked(qint64 runId, bool checked);
    // The context menu's actions for one run (the tests trigger them as a user would).
    void fillMenu(QMenu &menu, qint64 runId);

signals:
    void overlayChanged();
    void exportCsvRequested(qint64 runId);

private:
    void showMenu(const QPoint &pos);
    RunStore &m_store;
    qint64 m_paperId = 0;
    QString m_kernel;
};

QString runLabel(const RunRecord &run);

} // namespace paperlab::playground
