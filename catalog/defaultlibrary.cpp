#include "defaultlibrary.h"

#include <QDir>
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

std::unique_ptr<Library> openLibrary(const QString &dbPath, ImportReport *firstRun)
{
    auto lib = std::make_unique<Library>(dbPath);
    if (lib->paperCount() == 0 && lib->libraryFolder().isEmpty()) {
        const QString folder = bundledLibraryFolder();
        if (QDir(folder).exists(QStringLiteral("meta"))) {
            lib->setLibraryFolder(folder);
            const ImportReport report = lib->importPaths({folder});
            if (firstRun) *firstRun = report;
        }
    }
    return lib;
}

} // namespace paperlab
