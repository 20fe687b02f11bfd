#pragma once
// Finds and loads the paperlab_web plugin (notewebplugin.h): $PAPERLAB_WEB_PLUGIN when set,
// else the installed one (libdir/paperlab, relative to the executable), else the build tree's.
// Loading it also hands its PDF printer to htmlpdfprinter.h.

#include <QString>
#include <QStringList>

namespace paperlab::gui {

class NoteWebPlugin;

// The files tried, in order.
QStringList noteWebPluginCandidates();
// Loads the plugin at `path`; null with `error` naming the file and the reason on failure.
NoteWebPlugin *loadNoteWebPlugin(const QString &path, QString *error);
// The plugin, loaded on the first call (from the first candidate that exists); the same
// answer (plugin or error) afterwards. `path`: the file it came from (or was looked for at).
NoteWebPlugin *noteWebPlugin(QString *error = nullptr, QString *path = nullptr);

} // namespace paperlab::gui
