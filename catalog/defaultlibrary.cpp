#include "defaultlibrary.h"

#include "librarypaths.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace paperlab {

QString defaultDatabasePath()
{
    const QString env = qEnvironmentVariable("PAPERLAB_DB");
    if (!env.isEmpty())
        return env;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/paperlab");
    QDir().mkpath(dir);
    return dir + QStringLiteral("/library.sqlite");
}

QString bundledLibraryFolder()
{
    const QString env = qEnvironmentVariable("PAPERLAB_LIBRARY");
    if (!env.isEmpty())
        return env;
    return QStringLiteral(PAPERLAB_BUNDLED_LIBRARY);
}

bool isDefaultDatabase(const QString &dbPath)
{
    return canonicalPathAllowingMissing(dbPath) == canonicalPathAllowingMissing(defaultDatabasePath());
}

namespace {

// A copy made under another name and renamed when complete: an interrupted first run
// leaves no half library that later runs would take for the user's copy.
void copyFolder(const QString &from, const QString &to)
{
    const QString partial = to + QStringLiteral(".partial");
    QDir(partial).removeRecursively();
    const QDir source(from);
    QDirIterator it(from, QDir::Files | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = QDir(partial).filePath(source.relativeFilePath(file));
        if (!QDir().mkpath(QFileInfo(target).absolutePath()) || !QFile::copy(file, target)) {
            QDir(partial).removeRecursively();
            throw LibraryError(QStringLiteral("cannot copy the bundled library to %1 (at %2)").arg(to, target));
        }
        // Installed files are read-only; the user's copy is his to edit.
        QFile::setPermissions(target, QFile::permissions(target) | QFileDevice::WriteOwner);
    }
    if (!QDir().rename(partial, to)) {
        QDir(partial).removeRecursively();
        throw LibraryError(QStringLiteral("cannot create the library folder %1").arg(to));
    }
}

} // namespace

ImportReport installBundledLibrary(Library &library, const QString &folder)
{
    const QString bundled = bundledLibraryFolder();
    if (!QDir(folder).exists(QStringLiteral("meta")))
        copyFolder(bundled, folder);
    library.setLibraryFolder(folder);
    return library.importPaths({folder});
}

std::unique_ptr<Library> openLibrary(const QString &dbPath, ImportReport *firstRun)
{
    auto lib = std::make_unique<Library>(dbPath);
    if (isDefaultDatabase(dbPath) && lib->paperCount() == 0 && lib->libraryFolder().isEmpty()
        && QDir(bundledLibraryFolder()).exists(QStringLiteral("meta"))) {
        const ImportReport report = installBundledLibrary(*lib, QDir(QFileInfo(dbPath).absolutePath()).filePath(QStringLiteral("library")));
        if (firstRun) *firstRun = report;
    }
    return lib;
}

} // namespace paperlab
