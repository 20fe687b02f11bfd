#pragma once
// An EfficientPaper library's own files beside its papers: proto/ (the schema its files
// are written in) and the folders under meta/ that are not years (meta/search/ holds its
// search words, key_words, and the lists it follows, repo_url), and the files right under
// notes/ (pictures its notes share). They belong to the library, not to a paper, so an
// export carries them over as they are.

#include "../library.h"

#include <QString>
#include <QStringList>

namespace paperlab {

// The library's own files, relative to `libraryRoot` ("meta/search/references.prototxt").
QStringList librarySettingsFiles(const QString &libraryRoot);

// The EfficientPaper libraries `papers` were read from, each once, in the papers' order.
QStringList sourceLibraries(const QList<Paper> &papers);

// Copies the library's own files from `from` into `to`. A file `to` already has is left
// as it is (an earlier library's, or the user's). Returns how many were copied.
int copyLibrarySettings(const QString &from, const QString &to, QStringList &errors);

} // namespace paperlab
