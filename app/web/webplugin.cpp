// The paperlab_web plugin: the app's way to Qt WebEngine (notewebplugin.h). Loaded by the
// app after its first paint, so WebEngine's libraries are not mapped before main().

#include "notewebplugin.h"
#include "webengineprint.h"
#include "webnoteview.h"

#include <QObject>

namespace paperlab::gui {

class WebPlugin : public QObject, public NoteWebPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID PaperLabNoteWebPlugin_iid)
    Q_INTERFACES(paperlab::gui::NoteWebPlugin)
public:
    WebNoteViewer *createNoteView(QWidget *parent) override { return new WebNoteView(parent); }
    QByteArray (*htmlPdfPrinter())(const QString &, const QSizeF &, QString *, int) override
    {
        return &printHtmlFileToPdf;
    }
};

} // namespace paperlab::gui

#include "webplugin.moc"
