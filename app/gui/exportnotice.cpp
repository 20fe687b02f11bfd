#include "exportnotice.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QPushButton>

namespace paperlab::gui {

ExportNotice::ExportNotice(const QString &path, const QString &what, QWidget *parent)
    : QMessageBox(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
{
    setObjectName(QStringLiteral("exportNotice"));
    setIcon(QMessageBox::Information);
    setWindowTitle(tr("Export finished"));
    setTextFormat(Qt::PlainText);
    setText(tr("%1 written to\n%2").arg(what, QDir::toNativeSeparators(m_path)));
    m_open = addButton(tr("Open"), QMessageBox::ActionRole);
    m_folder = addButton(tr("Show in Folder"), QMessageBox::ActionRole);
    setDefaultButton(addButton(QMessageBox::Close));
    // The action buttons act and close the notice, as Close does.
    connect(m_open, &QAbstractButton::clicked, this, [this] { QDesktopServices::openUrl(fileUrl()); });
    connect(m_folder, &QAbstractButton::clicked, this, [this] { QDesktopServices::openUrl(folderUrl()); });
}

QUrl ExportNotice::fileUrl() const
{
    return QUrl::fromLocalFile(m_path);
}
QUrl ExportNotice::folderUrl() const
{
    return QUrl::fromLocalFile(QFileInfo(m_path).absolutePath());
}

ExportNotice *showExportNotice(const QString &path, const QString &what, QWidget *parent)
{
    auto *notice = new ExportNotice(path, what, parent);
    notice->setAttribute(Qt::WA_DeleteOnClose);
    notice->setWindowModality(Qt::NonModal);
    notice->show();
    return notice;
}

} // namespace paperlab::gui
