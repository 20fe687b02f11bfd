#pragma once
// One way to write a file that cannot report success for a write that did not happen.
//
// QSaveFile is not enough: on Qt 6.4 commit() returned true after its buffered flush had
// failed on a full disk, leaving a 0-byte file where the user's note was. Here every
// write() result is checked, the size on disk is compared with the data, the file is
// fsync'ed, renamed over the old one and the folder fsync'ed. Any failure removes the
// temporary file and leaves the old file exactly as it was.

#include <QByteArray>
#include <QString>

namespace paperlab {

// Writes `data` to `path` (the folder must exist). Returns true when the whole content is
// on disk under `path`; otherwise false with `error` naming the path, the step that failed
// and the system's reason ("…/note.md: cannot write: No space left on device").
bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error = nullptr);

// The same after creating the missing folders above `path`.
bool writeFileAtomicallyMakingFolders(const QString &path, const QByteArray &data, QString *error = nullptr);

} // namespace paperlab
