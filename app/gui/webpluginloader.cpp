#include "webpluginloader.h"

#include "htmlpdfprinter.h"
#include "notewebplugin.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPluginLoader>

namespace paperlab::gui {

QStringList noteWebPluginCandidates()
{
    const QString env = qEnvironmentVariable("PAPERLAB_WEB_PLUGIN");
    if (!env.isEmpty())
        return {env}; // an explicit choice: nothing else is tried
    return {
        QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/" PAPERLAB_WEB_PLUGIN_FROM_BINDIR)),
        QStringLiteral(PAPERLAB_WEB_PLUGIN_BUILD_PATH)};
}

NoteWebPlugin *loadNoteWebPlugin(const QString &path, QString *error)
{
    if (!QFileInfo::exists(path)) {
        if (error)
            *error = QStringLiteral("%1: no such file (the Qt WebEngine note view and PDF printer)").arg(path);
        return nullptr;
    }
    QPluginLoader loader(path);
    QObject *root = loader.instance(); // stays loaded: the loader's destructor does not unload
    auto *plugin = qobject_cast<NoteWebPlugin *>(root);
    if (!plugin) {
        if (error)
            *error = root ? QStringLiteral("%1: not a PaperLab web plugin (%2)")
                                .arg(path, QStringLiteral(PaperLabNoteWebPlugin_iid))
                          : QStringLiteral("%1: cannot load (%2)").arg(path, loader.errorString());
        return nullptr;
    }
    setHtmlPdfPrinter(plugin->htmlPdfPrinter());
    return plugin;
}

NoteWebPlugin *noteWebPlugin(QString *error, QString *path)
{
    static QString s_error;
    static QString s_path;
    static NoteWebPlugin *const s_plugin = [] {
        const QStringList candidates = noteWebPluginCandidates();
        // The first that exists; when none does, the error names the first (the expected place).
        s_path = candidates.first();
        for (const QString &candidate : candidates)
            if (QFileInfo::exists(candidate)) {
                s_path = candidate;
                break;
            }
        return loadNoteWebPlugin(s_path, &s_error);
    }();
    if (!s_plugin && error)
        *error = s_error;
    if (path)
        *path = s_path;
    return s_plugin;
}

} // namespace paperlab::gui
