#include "lastfolder.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace paperlab::playground {
namespace {

QString settingsKey(QStringView purpose)
{
    return purpose.toString() + QStringLiteral("/folder"); // "export/folder": the key exports always used
}

} // namespace

QString lastFolder(QStringView purpose)
{
    const QString folder = QSettings().value(settingsKey(purpose)).toString();
    return !folder.isEmpty() && QFileInfo(folder).isDir() ? folder : QDir::homePath();
}

void rememberFolder(QStringView purpose, const QString &folder)
{
    QSettings().setValue(settingsKey(purpose), QFileInfo(folder).absoluteFilePath());
}

} // namespace paperlab::playground
