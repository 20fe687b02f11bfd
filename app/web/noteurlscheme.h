#pragma once
// The paperlab-note: URL scheme the note view loads everything from, so a note's page can
// reach nothing else: paperlab-note://note/page.html is the rendered note,
// /katex/… Debian's KaTeX, and /files/… files of the note's own folder. A path that leaves
// that folder ("..", an absolute path, a symlink pointing out) is refused, as is any other
// URL. paperlab-note://action/… are the page's requests to the app (task clicks, links).

#include <QByteArray>
#include <QString>
#include <QWebEngineUrlSchemeHandler>

namespace paperlab::gui {

inline constexpr char kNoteScheme[] = "paperlab-note";

// The file a /files/ URL path names inside `noteDir`, canonical; empty when refused.
QString noteFileForUrlPath(const QString &noteDir, const QString &urlPath);

class NoteSchemeHandler : public QWebEngineUrlSchemeHandler {
    Q_OBJECT
public:
    using QWebEngineUrlSchemeHandler::QWebEngineUrlSchemeHandler;
    void setPage(const QByteArray &html, const QString &noteDir);
    void requestStarted(QWebEngineUrlRequestJob *job) override;
    // Paths of the last requests refused (newest last, at most 20): what a note tried.
    QStringList refused() const { return m_refused; }

private:
    QByteArray m_html;
    QString m_noteDir;
    QStringList m_refused;
};

} // namespace paperlab::gui
