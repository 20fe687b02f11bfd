#include "defaultlibrary.h"

#include "librarypaths.h"
#include "sqlitedb.h"

#include <QCoreApplication>
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
    const QString dir =
        QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/paperlab");
    QDir().mkpath(dir);
    return dir + QStringLiteral("/library.sqlite");
}

QString installedLibraryFolder(const QString &appDir)
{
    const QString folder = QDir::cleanPath(QDir(appDir).filePath(QStringLiteral(PAPERLAB_LIBRARY_FROM_BINDIR)));
    return QDir(folder).exists(QStringLiteral("meta")) ? folder : QString();
}

QString bundledLibraryFolder()
{
    const QString env = qEnvironmentVariable("PAPERLAB_LIBRARY");
    if (!env.isEmpty())
        return env;
    // Relative to the executable, so an installed tree (or a .deb) works wherever its
    // prefix is; the source tree only for binaries run from their build folder.
    if (QCoreApplication::instance()) {
        const QString installed = installedLibraryFolder(QCoreApplication::applicationDirPath());
        if (!installed.isEmpty())
            return installed;
    }
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

// Every stored path below `from` now below `to`: note files, covers, the remembered
// library folders, the source files and the records provenance keeps. One transaction.
void relocateLibraryFolder(Library &library, const QString &from, const QString &to)
{
    Database &db = library.database();
    Transaction tx(db);
    // substr, not LIKE: a folder name may hold '%' or '_'.
    const char *const moves[] = {
        "UPDATE papers SET note_path = ?2 || substr(note_path, length(?1) + 1) WHERE substr(note_path, 1, length(?1) + "
        "1) = ?1 || '/'",
        "UPDATE papers SET cover = ?2 || substr(cover, length(?1) + 1) WHERE substr(cover, 1, length(?1) + 1) = ?1 || "
        "'/'",
        "UPDATE provenance SET file = ?2 || substr(file, length(?1) + 1), record = replace(record, ?1 || '/', ?2 || "
        "'/') "
        "WHERE substr(file, 1, length(?1) + 1) = ?1 || '/'",
        "UPDATE library_folders SET folder = ?2 WHERE folder = ?1",
    };
    for (const char *sql : moves) {
        auto st = db.prepare(sql);
        st.bind(1, from).bind(2, to).run();
    }
    library.setLibraryFolder(to);
    tx.commit();
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
    if (!isDefaultDatabase(dbPath) || !QDir(bundledLibraryFolder()).exists(QStringLiteral("meta")))
        return lib;
    const QString copy = QDir(QFileInfo(dbPath).absolutePath()).filePath(QStringLiteral("library"));
    const QString folder = lib->libraryFolder();
    if (lib->paperCount() == 0 && folder.isEmpty()) {
        const ImportReport report = installBundledLibrary(*lib, copy);
        if (firstRun)
            *firstRun = report;
    } else if (!folder.isEmpty() &&
               canonicalPathAllowingMissing(folder) == canonicalPathAllowingMissing(bundledLibraryFolder())) {
        // A default index from before the copy: its notes were edited in the installed (or
        // source) tree. From now on they are edited in the copy, edits so far included.
        if (!QDir(copy).exists(QStringLiteral("meta")))
            copyFolder(bundledLibraryFolder(), copy);
        relocateLibraryFolder(*lib, folder, copy);
    }
    return lib;
}

} // namespace paperlab
