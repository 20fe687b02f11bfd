#pragma once
// A run's details: where it was measured, clocks from start to end, warm-up, repetitions,
// L2 flush and the ceilings measured on the GPU. The view sits below the run history (the
// selected run); the dialog opens from the history's context menu.

#include "runtypes.h"

#include <QDialog>
#include <QTextBrowser>

namespace paperlab::playground {

class RunDetailsView : public QTextBrowser {
    Q_OBJECT
public:
    explicit RunDetailsView(QWidget *parent = nullptr);
    void setRun(const RunRecord &run);
};

class RunDetailsDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunDetailsDialog(const RunRecord &run, QWidget *parent = nullptr);
    QString text() const; // what it shows, as plain text (for tests)

private:
    RunDetailsView *m_view;
};

} // namespace paperlab::playground
