#include "noteurlscheme.h"

#include "librarypaths.h"
#include "notehtml.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QWebEngineUrlRequestJob>
#include <QWebEngineUrlScheme>

namespace paperlab::gui {
namespace {

// Schemes must be known before WebEngine starts, hence before main (and in every test).
void registerNoteScheme()
{
    QWebEngineUrlScheme scheme(kNoteScheme);
    scheme.setSyntax(QWebEngineUrlScheme::Syntax::Host);
    scheme.setFlags(QWebEngineUrlScheme::SecureScheme | QWebEngineUrlScheme::CorsEnabled);
    QWebEngineUrlScheme::registerScheme(scheme);
}
Q_CONSTRUCTOR_FUNCTION(registerNoteScheme)

QString fileUnder(const QString &root, const QString &relative)
{
    if (root.isEmpty() || relative.isEmpty() || QDir::isAbsolutePath(relative))
        return {};
    const QString path = QDir(root).absoluteFilePath(relative);
    // Canonical on both sides: ".." and symlinks pointing out of the folder are refused.
    if (!isInsideFolder(path, root) || !QFileInfo(path).isFile())
        return {};
    return QFileInfo(path).canonicalFilePath();
}

} // namespace

QString noteFileForUrlPath(const QString &noteDir, const QString &urlPath)
{
    if (!urlPath.startsWith(QLatin1String("/files/")))
        return {};
    return fileUnder(noteDir, urlPath.mid(7));
}

void NoteSchemeHandler::setPage(const QByteArray &html, const QString &noteDir)
{
    m_html = html;
    m_noteDir = noteDir;
}

void NoteSchemeHandler::requestStarted(QWebEngineUrlRequestJob *job)
{
    const QUrl url = job->requestUrl();
    const QString path = url.path(QUrl::FullyDecoded);
    auto reply = [job](const QByteArray &mime, const QByteArray &bytes) {
        auto *buffer = new QBuffer(job); // lives as long as the request
        buffer->setData(bytes);
        job->reply(mime, buffer);
    };
    if (url.host() == u"note" && path == u"/page.html") {
        reply("text/html", m_html);
        return;
    }
    QString file;
    if (url.host() == u"note" && path.startsWith(QLatin1String("/katex/")))
        file = fileUnder(katexDir(), path.mid(7));
    else if (url.host() == u"note")
        file = noteFileForUrlPath(m_noteDir, path);
    QFile f(file);
    if (file.isEmpty() || !f.open(QIODevice::ReadOnly)) {
        m_refused << path;
        if (m_refused.size() > 20)
            m_refused.removeFirst();
        job->fail(QWebEngineUrlRequestJob::RequestDenied);
        return;
    }
    reply(QMimeDatabase().mimeTypeForFile(file).name().toUtf8(), f.readAll());
}

} // namespace paperlab::gui
