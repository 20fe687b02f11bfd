#include "librarypaths.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace paperlab {

QString canonicalPathAllowingMissing(const QString &path)
{
    if (path.isEmpty())
        return {};
    QString existing = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList missing;
    // Walk up to the deepest part that exists; a dangling symlink counts as existing so
    // that its target, not its name, is what gets checked.
    while (!QFileInfo::exists(existing) && !QFileInfo(existing).isSymLink()) {
        const QFileInfo fi(existing);
        const QString parent = fi.absolutePath();
        if (parent == existing)
            break;
        missing.prepend(fi.fileName());
        existing = parent;
    }
    QFileInfo fi(existing);
    QString base = fi.canonicalFilePath();
    if (base.isEmpty() && fi.isSymLink()) {
        // A dangling symlink: where it would point to is what a write would create.
        const QString target = fi.symLinkTarget();
        if (target.isEmpty())
            return {};
        return canonicalPathAllowingMissing(QDir(target).filePath(missing.join(QLatin1Char('/'))));
    }
    if (base.isEmpty())
        return {};
    return missing.isEmpty() ? base : QDir::cleanPath(base + QLatin1Char('/') + missing.join(QLatin1Char('/')));
}

namespace {

// Both paths canonical already.
bool isInsideCanonical(const QString &canonicalPath, const QString &canonicalRoot)
{
    if (canonicalRoot.isEmpty() || canonicalPath.isEmpty())
        return false;
    if (canonicalPath == canonicalRoot)
        return true;
    const QString prefix = canonicalRoot.endsWith(QLatin1Char('/')) ? canonicalRoot : canonicalRoot + QLatin1Char('/');
    return canonicalPath.startsWith(prefix);
}

// `root` as the messages name it, `canonicalRoot` what the check compares with. Each path is
// canonicalized once: a library of 100,000 papers resolves a few hundred thousand note paths,
// and every canonicalization is a readlink per path component.
LibraryPath resolveInside(const QString &root, const QString &canonicalRoot, const QString &baseDir,
                          const QString &reference)
{
    LibraryPath out;
    if (reference.isEmpty())
        return out;
    if (reference.contains(QLatin1String("://"))) {
        out.path = reference;
        return out;
    }
    if (root.isEmpty()) {
        out.refusal = QStringLiteral("'%1' has no library folder to be resolved in; ignored").arg(reference);
        return out;
    }
    if (QDir::isAbsolutePath(reference)) {
        out.refusal =
            QStringLiteral("'%1' is an absolute path; a library may only name files inside its own folder %2; ignored")
                .arg(reference, root);
        return out;
    }
    const QString joined = QDir::cleanPath(QDir(baseDir.isEmpty() ? root : baseDir).absoluteFilePath(reference));
    const QString canonical = canonicalPathAllowingMissing(joined);
    if (!isInsideCanonical(canonical, canonicalRoot)) {
        out.refusal = QStringLiteral("'%1' points outside the library folder %2 (to %3); ignored")
                          .arg(reference, root, canonical);
        return out;
    }
    out.path = canonical;
    return out;
}

} // namespace

bool isInsideFolder(const QString &path, const QString &root)
{
    return isInsideCanonical(canonicalPathAllowingMissing(path), canonicalPathAllowingMissing(root));
}

LibraryPath resolveInsideLibrary(const QString &root, const QString &baseDir, const QString &reference)
{
    return resolveInside(root, canonicalPathAllowingMissing(root), baseDir, reference);
}

LibraryPath resolveInsideCanonicalLibrary(const QString &canonicalRoot, const QString &baseDir,
                                          const QString &reference)
{
    return resolveInside(canonicalRoot, canonicalRoot, baseDir, reference);
}

QString embeddableImage(const QString &root, const QString &baseDir, const QString &reference)
{
    if (reference.isEmpty() || root.isEmpty())
        return {};
    const QString candidate = QDir::isAbsolutePath(reference)
                                  ? reference
                                  : QDir(baseDir.isEmpty() ? root : baseDir).absoluteFilePath(reference);
    if (!isInsideFolder(candidate, root))
        return {};
    return canonicalPathAllowingMissing(candidate);
}

} // namespace paperlab
