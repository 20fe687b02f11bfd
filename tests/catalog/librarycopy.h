#pragma once
// A writable copy of a library folder: tests that save notes must not write into the source
// tree's data/library.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QString>

namespace paperlab::testing {

inline bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = to + file.mid(from.size());
        if (!QDir().mkpath(QFileInfo(target).absolutePath()) || !QFile::copy(file, target))
            return false;
    }
    return true;
}

#ifdef PAPERLAB_LIBRARY_DIR
// data/library copied to DIR/library; empty when the copy failed.
inline QString bundledLibraryCopy(const QString &dir)
{
    const QString folder = dir + QStringLiteral("/library");
    return copyTree(QStringLiteral(PAPERLAB_LIBRARY_DIR), folder) ? folder : QString();
}
#endif

} // namespace paperlab::testing
