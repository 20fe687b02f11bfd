#pragma once
// Finds the real seed files (data/seeds/NNN_*.txt) the importer tests are fed with.

#include "../../catalog/importers/importers.h" // relative: independent of the include dirs the library exports

#include <QDir>
#include <QFile>
#include <QString>
#include <QTest>

#ifndef PAPERLAB_SEEDS_DIR
#error "PAPERLAB_SEEDS_DIR must name the folder holding the seed files"
#endif

namespace paperlab::testing {

// Path of the seed whose name starts with `prefix` ("004"), or empty when missing.
inline QString seedPath(const QString &prefix)
{
    const QDir dir(QStringLiteral(PAPERLAB_SEEDS_DIR));
    const QStringList hits = dir.entryList({prefix + QStringLiteral("_*.txt")}, QDir::Files, QDir::Name);
    return hits.isEmpty() ? QString() : dir.filePath(hits.first());
}

inline QString seedText(const QString &prefix)
{
    QFile f(seedPath(prefix));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

// The record whose title starts with `prefix`, or nullptr.
inline const PaperRecord *findByTitle(const ImportBatch &batch, const QString &prefix)
{
    for (const PaperRecord &r : batch.papers)
        if (r.title.startsWith(prefix))
            return &r;
    return nullptr;
}

inline QString describe(const ImportBatch &batch)
{
    QStringList out;
    for (const Diagnostic &d : batch.diagnostics)
        out << d.toString();
    return out.join(QLatin1Char('\n'));
}

} // namespace paperlab::testing
