#include "exportfolder.h"

#include "lastfolder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace paperlab::gui {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ExportFolder", text);
}

} // namespace

QString suggestedExportPath(const QString &fileName)
{
    return QDir(playground::lastFolder(u"export")).filePath(fileName);
}

void rememberExportFolder(const QString &path)
{
    playground::rememberFolder(u"export", QFileInfo(path).absolutePath());
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
