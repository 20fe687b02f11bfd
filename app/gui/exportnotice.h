#pragma once
// Said after an export: what was written and where, with "Open" (the file in its default
// application) and "Show in Folder" (the folder holding it). Not modal: work goes on.

#include <QMessageBox>
#include <QUrl>

namespace paperlab::gui {

class ExportNotice : public QMessageBox {
    Q_OBJECT
public:
    ExportNotice(const QString &path, const QString &what, QWidget *parent);

    QUrl fileUrl() const;
    QUrl folderUrl() const;
    QAbstractButton *openButton() const { return m_open; }
    QAbstractButton *folderButton() const { return m_folder; }

private:
    QString m_path;
    QAbstractButton *m_open = nullptr;
    QAbstractButton *m_folder = nullptr;
};

// Shows the notice (deleted when closed) and returns it.
ExportNotice *showExportNotice(const QString &path, const QString &what, QWidget *parent);

} // namespace paperlab::gui
