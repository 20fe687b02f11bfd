#pragma once
// The note tab: a note rendered by Qt WebEngine from cmark-gfm HTML (notehtml.h) with KaTeX
// math, GitHub-like styling following the palette (light, dark), images of the note's folder
// (zoom on click), task-list checkboxes that change the note, and links opened in the
// browser. The web view is made after the widget first paints: start-up does not wait for
// WebEngine. Like NoteBrowser, a note past kNotePreviewChars shows its first part and
// "Show all".
// It lives in the paperlab_web plugin (webplugin.cpp); the app sees it as a WebNoteViewer.

#include "notewebplugin.h"

#include <QWidget>

class QWebEngineProfile;
class QWebEngineView;

namespace paperlab::gui {

class NotePage;
class NoteSchemeHandler;

class WebNoteView : public QWidget, public WebNoteViewer {
    Q_OBJECT
public:
    explicit WebNoteView(QWidget *parent = nullptr);
    ~WebNoteView() override;

    void showNote(const QString &markdown, const QString &baseDir, const QString &libraryRoot = {}) override;
    void showMessage(const QString &html) override;
    void setLibraryRoot(const QString &root) override { m_libraryRoot = root; }
    QString markdown() const { return m_markdown; }
    bool isPreview() const override { return m_preview; }
    void showAll() override;

    // WebNoteViewer: what the app's NoteView uses.
    QWidget *widget() override { return this; }
    void onTaskToggled(std::function<void(const QString &)> handler) override;
    void onRendered(std::function<void()> handler) override;
    void runJavaScript(const QString &script, std::function<void(const QVariant &)> done) override;

    // Makes the web view now (it is otherwise made after the first paint).
    void ensureWebView();
    QWebEngineView *webView() const { return m_view; }
    NoteSchemeHandler *schemeHandler() const { return m_scheme; }

signals:
    // A task checkbox was clicked: `markdown` is the note with that one task changed.
    void taskToggled(const QString &markdown);
    // The page on show is loaded and its math typeset.
    void rendered();

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    friend class NotePage;
    void rerender();
    void load(const QString &body);
    void pageAction(const QUrl &url); // a paperlab-note://action/… request of the page

    QString m_markdown;
    QString m_message; // HTML shown instead of a note
    QString m_baseDir;
    QString m_libraryRoot;
    bool m_showAll = false;
    bool m_preview = false;
    bool m_pending = false; // a render waits for the web view
    bool m_creating = false;
    QWebEngineView *m_view = nullptr;
    NotePage *m_page = nullptr;
    QWebEngineProfile *m_profile = nullptr;
    NoteSchemeHandler *m_scheme = nullptr;
};

} // namespace paperlab::gui
