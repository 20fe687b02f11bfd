#include "exportfolder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace paperlab::gui {
namespace {

constexpr char kFolderKey[] = "export/folder";

QString tr(const char *text)
{
    return QCoreApplication::translate("ExportFolder", text);
}

} // namespace

QString suggestedExportPath(const QString &fileName)
{
    QString folder = QSettings().value(QLatin1String(kFolderKey)).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) // the first export, or the folder is gone
        folder = QDir::homePath();
    return QDir(folder).filePath(fileName);
}

void rememberExportFolder(const QString &path)
{
    QSettings().setValue(QLatin1String(kFolderKey), QFileInfo(path).absolutePath());
}

QString exportFolderProblem(const QString &path)
{
    const QFileInfo folder(QFileInfo(path).absolutePath());
    if (!folder.exists())
        return tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(folder.filePath()));
    if (!folder.isDir())
        return tr("%1 is a file, not a folder.").arg(QDir::toNativeSeparators(folder.filePath()));
    if (!folder.isWritable())
        return tr("The folder %1 is read-only: choose another one.").arg(QDir::toNativeSeparators(folder.filePath()));
    return {};
}

} // namespace paperlab::gui
