#pragma once
// A fresh library for each GUI test: the five real seeds are imported once per test program
// into a template database, and every test gets its own copy of it (plus its own folder for
// note files), so tests never see each other's edits.

#include "library.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#ifndef PAPERLAB_SEEDS_DIR
#error "PAPERLAB_SEEDS_DIR must name the folder holding the seed files"
#endif

namespace paperlab::testing {

inline QStringList seedFiles()
{
    QDir dir(QStringLiteral(PAPERLAB_SEEDS_DIR));
    if (!dir.exists())
        dir.setPath(QStringLiteral("/work/shared/seeds")); // a checkout without data/seeds
    QStringList out;
    for (const QString &name : dir.entryList({QStringLiteral("0*_*.txt")}, QDir::Files, QDir::Name))
        out << dir.filePath(name);
    return out;
}

inline const QString &templateDatabase()
{
    static QTemporaryDir dir;
    static const QString path = [] {
        const QString db = dir.filePath(QStringLiteral("template.sqlite"));
        Library library(db);
        const ImportReport report = library.importPaths(seedFiles());
        if (report.errors() > 0 || library.paperCount() < 300)
            qFatal("seed import failed: %d papers", library.paperCount());
        return db;
    }();
    return path;
}

struct TestLibrary {
    QTemporaryDir dir;
    QString db;
    QString folder; // where new note files go
};

inline std::unique_ptr<TestLibrary> makeTestLibrary()
{
    auto t = std::make_unique<TestLibrary>();
    t->db = t->dir.filePath(QStringLiteral("library.sqlite"));
    t->folder = t->dir.filePath(QStringLiteral("library"));
    QDir().mkpath(t->folder);
    if (!QFile::copy(templateDatabase(), t->db))
        qFatal("cannot copy the template database");
    QFile::setPermissions(t->db, QFile::ReadOwner | QFile::WriteOwner);
    Library(t->db).setLibraryFolder(t->folder);
    return t;
}

// Keeps QSettings of the tests away from the user's own.
inline void isolateSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("PaperLabTests"));
    QCoreApplication::setApplicationName(QStringLiteral("paperlab-tests"));
}

} // namespace paperlab::testing
