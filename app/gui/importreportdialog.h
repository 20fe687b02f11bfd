#pragma once
// What an import did: added / merged / unchanged counts, then every warning and error with
// its file:line (double-click copies the location).

#include "library.h"

#include <QDialog>

class QLabel;
class QTreeWidget;

namespace paperlab::gui {

class ImportReportDialog : public QDialog {
    Q_OBJECT
public:
    ImportReportDialog(const ImportReport &report, const QStringList &paths, const QString &failure,
                       QWidget *parent = nullptr);
    QString summaryText() const;
    QStringList diagnosticLines() const; // "file:line:col: error: message", as shown

private:
    QLabel *m_summary = nullptr;
    QTreeWidget *m_list = nullptr;
};

} // namespace paperlab::gui
