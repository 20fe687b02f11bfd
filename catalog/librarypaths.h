#pragma once
// Paths that come from a library (note and cover urls, image links inside notes) are data
// written by whoever shared the library. They may name only files inside that library:
// "../../.bashrc", "/etc/passwd" or a symlink pointing out of the folder are refused, so
// opening a shared library can neither read nor overwrite the user's other files.

#include <QString>

namespace paperlab {

// `path` with every symlink and "." / ".." resolved, also when its last parts do not exist
// yet (a note about to be created): the deepest existing folder is canonicalized and the
// rest appended. Empty for an empty path.
QString canonicalPathAllowingMissing(const QString &path);

// True when `path`, canonicalized, is `root` or lies below it (root canonicalized too).
bool isInsideFolder(const QString &path, const QString &root);

struct LibraryPath {
    QString path;    // absolute, canonical; empty when refused or empty
    QString refusal; // why it was refused ("points outside the library folder …")
    bool refused() const { return !refusal.isEmpty(); }
};

// Resolves `reference` (as written in a library file) relative to `baseDir` and accepts it
// only when it stays inside `root`. URLs ("https://…") are not files and come back unchanged.
LibraryPath resolveInsideLibrary(const QString &root, const QString &baseDir, const QString &reference);
// The same for a caller resolving many references in one library (an import): `canonicalRoot`
// is the library folder already canonicalized (canonicalPathAllowingMissing), once.
LibraryPath resolveInsideCanonicalLibrary(const QString &canonicalRoot, const QString &baseDir,
                                          const QString &reference);

// A local file (an image a note or slide embeds) accepted only inside `root`: its canonical
// path, or empty. An empty `root` accepts nothing local.
QString embeddableImage(const QString &root, const QString &baseDir, const QString &reference);

} // namespace paperlab
