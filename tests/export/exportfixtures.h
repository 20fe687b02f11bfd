#pragma once
// The bundled library imported once into a temporary index, shared by the export tests.

#include "library.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace paperlab::testing {

// A fresh index at `dir`/name holding data/library.
inline std::unique_ptr<Library> bundledLibrary(const QTemporaryDir &dir,
                                               const QString &name = QStringLiteral("bundled.sqlite"))
{
    auto lib = std::make_unique<Library>(dir.filePath(name));
    const ImportReport r = lib->importPaths({QStringLiteral(PAPERLAB_LIBRARY_DIR)});
    if (r.errors() > 0)
        qWarning("bundled library import had %d errors", r.errors());
    return lib;
}

inline const Paper *paperWithKey(const QList<Paper> &papers, const QString &key)
{
    for (const Paper &p : papers)
        if (p.key == key)
            return &p;
    return nullptr;
}

} // namespace paperlab::testing
