#pragma once
// The folder a file dialog opens in: the one the user last chose for that purpose ("import",
// "export"), or the home folder the first time and when that folder is gone. Never the
// current directory: for an app started from a launcher that is wherever the launcher stood
// (often / or the build tree), a place nobody keeps papers. Here with the playground's
// widgets, whose chart and run files go where the app's exports go; the app uses it too.

#include <QString>
#include <QStringView>

namespace paperlab::playground {

QString lastFolder(QStringView purpose);
// Remembers `folder` (made absolute) as where the next dialog for `purpose` opens.
void rememberFolder(QStringView purpose, const QString &folder);

} // namespace paperlab::playground
