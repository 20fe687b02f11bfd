#pragma once
// Where an export goes: the folder of the last export (the home folder the first time; see
// lastfolder.h), and whether a chosen file's folder can take it. Checked before writing, so
// a slide deck that takes a while to render is not made only to fail at the end, and the
// dialog that asked for the file stays open with what the user typed.

#include <QString>

namespace paperlab::gui {

// `fileName` in the folder the last export went to (or the home folder).
QString suggestedExportPath(const QString &fileName);
// Remembers `path`'s folder for the next suggestion.
void rememberExportFolder(const QString &path);
// Empty when `path`'s folder exists and is writable; otherwise a sentence naming the
// folder and what is wrong with it.
QString exportFolderProblem(const QString &path);

} // namespace paperlab::gui
