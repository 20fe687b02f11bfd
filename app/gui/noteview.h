#pragma once
// The note tab. Notes are rendered by Qt WebEngine with KaTeX (the paperlab_web plugin's
// WebNoteView), but WebEngine is loaded only after the window first paints: until then, and
// for good when the plugin is missing, the note is shown by the text renderer (NoteBrowser).
// The API is the web view's: the page (paperpage.cpp) does not know which one is on show.

#include <QVariant>
#include <QWidget>

#include <functional>

namespace paperlab::gui {

class NoteBrowser;
class WebNoteViewer;

class NoteView : public QWidget {
    Q_OBJECT
public:
    explicit NoteView(QWidget *parent = nullptr);

    void showNote(const QString &markdown, const QString &baseDir, const QString &libraryRoot = {});
    void showMessage(const QString &html);
    void setLibraryRoot(const QString &root);
    QString markdown() const { return m_markdown; }
    bool isPreview() const;
    void showAll();

    // Loads the web plugin and makes the web view now (it is otherwise made after the first
    // paint). False, with the text renderer kept, when the plugin cannot be loaded.
    bool ensureWebView();
    bool hasWebView() const { return m_web != nullptr; }
    // The reason the web view is missing ("" while not tried or when loaded).
    QString webViewError() const { return m_webError; }
    // Runs `script` in the web page (after ensureWebView() succeeded).
    void runJavaScript(const QString &script, std::function<void(const QVariant &)> done);

signals:
    // A task checkbox was clicked: `markdown` is the note with that one task changed.
    void taskToggled(const QString &markdown);
    // The note on show is drawn (by the web view: loaded and its math typeset).
    void rendered();

protected:
    void paintEvent(QPaintEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // The first paint of the window is done (or under way): WebEngine is loaded after it.
    void startAfterPaint();
    void showInTextView(); // the note on the text renderer: no web plugin

    QString m_markdown;
    QString m_message;
    QString m_baseDir;
    QString m_libraryRoot;
    bool m_showAll = false;
    bool m_tried = false;
    QString m_webError;
    NoteBrowser *m_text = nullptr; // "Loading…" until the web view is made; the note without the plugin
    WebNoteViewer *m_web = nullptr;
};

} // namespace paperlab::gui
