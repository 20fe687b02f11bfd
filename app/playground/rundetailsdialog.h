#pragma once
// A run's details (from the history's context menu): where it was measured, clocks from
// start to end, warm-up, repetitions, L2 flush and the ceilings measured on the GPU.

#include "runtypes.h"

#include <QDialog>

class QTextBrowser;

namespace paperlab::playground {

class RunDetailsDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunDetailsDialog(const RunRecord &run, QWidget *parent = nullptr);
    QString text() const;               // what it shows, as plain text (for tests)

private:
    QTextBrowser *m_view;
};

} // namespace paperlab::playground
