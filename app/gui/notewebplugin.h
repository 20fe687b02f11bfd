#pragma once
// What the app asks of the paperlab_web plugin (app/web), the only code linking Qt WebEngine:
// the app loads it after its first paint (webpluginloader.h), so start-up does not pay for
// WebEngine's libraries. No WebEngine include and no QObject here: the plugin and the app
// each hold their own copy of this header's code.

#include <QByteArray>
#include <QSizeF>
#include <QString>
#include <QVariant>
#include <QtPlugin>

#include <functional>

class QWidget;

namespace paperlab::gui {

// A note rendered by WebEngine with KaTeX (the plugin's WebNoteView). Owned by its widget.
class WebNoteViewer {
public:
    virtual ~WebNoteViewer() = default;
    virtual QWidget *widget() = 0;
    virtual void showNote(const QString &markdown, const QString &baseDir, const QString &libraryRoot) = 0;
    virtual void showMessage(const QString &html) = 0;
    virtual void setLibraryRoot(const QString &root) = 0;
    virtual bool isPreview() const = 0;
    virtual void showAll() = 0;
    // A task checkbox was clicked: the note with that one task changed.
    virtual void onTaskToggled(std::function<void(const QString &markdown)> handler) = 0;
    // The page on show is loaded and its math typeset.
    virtual void onRendered(std::function<void()> handler) = 0;
    // Runs `script` in the page on show; `done` gets its value (tests, screenshots).
    virtual void runJavaScript(const QString &script, std::function<void(const QVariant &)> done) = 0;
};

class NoteWebPlugin {
public:
    virtual ~NoteWebPlugin() = default;
    virtual WebNoteViewer *createNoteView(QWidget *parent) = 0;
    // The printer for htmlpdfprinter.h (the same signature).
    virtual QByteArray (*htmlPdfPrinter())(const QString &, const QSizeF &, QString *, int) = 0;
};

} // namespace paperlab::gui

#define PaperLabNoteWebPlugin_iid "org.paperlab.NoteWebPlugin/1"
Q_DECLARE_INTERFACE(paperlab::gui::NoteWebPlugin, PaperLabNoteWebPlugin_iid)
