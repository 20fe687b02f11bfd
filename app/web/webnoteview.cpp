#include "webnoteview.h"

#include "librarypaths.h"
#include "linksafety.h"
#include "notebrowser.h" // kNotePreviewChars, paletteIsDark (both inline)
#include "notehtml.h"
#include "noteurlscheme.h"
#include "webengineprint.h"

#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QLocale>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <QWebEnginePage>
#include <QWebEngineProfile>
#include <QWebEngineSettings>
#include <QWebEngineView>

namespace paperlab::gui {

// Navigation stays on the note's page: the page's own requests (task clicks, links) come
// here as paperlab-note://action/… and are answered by the view; nothing else is loaded.
class NotePage : public QWebEnginePage {
public:
    NotePage(QWebEngineProfile *profile, WebNoteView *view)
        : QWebEnginePage(profile, view)
        , m_view(view)
    {}

protected:
    bool acceptNavigationRequest(const QUrl &url, NavigationType type, bool isMainFrame) override
    {
        if (url.scheme() == QLatin1String(kNoteScheme) && url.host() == u"note" && url.path() == u"/page.html")
            return true;
        if (url.scheme() == QLatin1String(kNoteScheme) && url.host() == u"action") {
            m_view->pageAction(url);
        } else if (type == NavigationTypeLinkClicked && isMainFrame && isOpenableLink(url.toString())) {
            QDesktopServices::openUrl(url); // a web link: the user's browser
        }
        return false;
    }

private:
    WebNoteView *m_view;
};

namespace {

// Clicks: links go to the app (which opens web links in the browser and library files with
// their application), task checkboxes write the note, pictures zoom.
const char kPageScript[] = R"JS(
document.addEventListener('click', e => {
  const a = e.target.closest('a[href]');
  if (a) {
    const href = a.getAttribute('href');
    if (href.startsWith('#')) return;
    e.preventDefault();
    location.href = href.startsWith('paperlab-note:') ? href : 'paperlab-note://action/open?href=' + encodeURIComponent(href);
    return;
  }
  const zoom = document.getElementById('zoom');
  if (e.target.matches('img.zoomable')) { zoom.firstChild.src = e.target.src; zoom.classList.add('on'); }
  else if (e.target.closest('#zoom')) zoom.classList.remove('on');
});
document.addEventListener('keydown', e => { if (e.key === 'Escape') document.getElementById('zoom').classList.remove('on'); });
document.addEventListener('change', e => {
  const box = e.target;
  if (box.matches('input.task[data-task]'))
    location.href = 'paperlab-note://action/task?index=' + box.dataset.task + '&checked=' + (box.checked ? 1 : 0);
});
)JS";

QString nonce()
{
    return QString::number(QRandomGenerator::global()->generate64(), 36);
}

} // namespace

WebNoteView::WebNoteView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

WebNoteView::~WebNoteView()
{
    // The page before its profile (both children of this view): WebEngine asks for that order.
    delete m_view;
    delete m_page;
}

void WebNoteView::paintEvent(QPaintEvent *event)
{
    QWidget::paintEvent(event);
    // The first paint of the window is done (or under way): WebEngine starts after it.
    if (!m_view && !m_creating) {
        m_creating = true;
        QTimer::singleShot(0, this, &WebNoteView::ensureWebView);
    }
}

void WebNoteView::ensureWebView()
{
    if (m_view)
        return;
    // Off the record, with its own handler: a note page reaches only paperlab-note: URLs.
    m_profile = new QWebEngineProfile(this);
    QWebEngineProfile *profile = m_profile;
    m_scheme = new NoteSchemeHandler(profile);
    profile->installUrlSchemeHandler(kNoteScheme, m_scheme);
    m_view = new QWebEngineView(this);
    m_page = new NotePage(profile, this);
    m_page->settings()->setAttribute(QWebEngineSettings::LocalContentCanAccessFileUrls, false);
    m_page->settings()->setAttribute(QWebEngineSettings::LocalContentCanAccessRemoteUrls, false);
    m_page->settings()->setAttribute(QWebEngineSettings::NavigateOnDropEnabled, false);
    m_view->setPage(m_page);
    m_view->setContextMenuPolicy(Qt::NoContextMenu);
    layout()->addWidget(m_view);
    connect(m_page, &QWebEnginePage::loadFinished, this,
            [this](bool) { whenMathDone(m_page, m_page, [this] { emit rendered(); }); });
    if (m_pending)
        rerender();
}

void WebNoteView::showNote(const QString &markdown, const QString &baseDir, const QString &libraryRoot)
{
    m_markdown = markdown;
    m_message.clear();
    m_baseDir = baseDir;
    if (!libraryRoot.isEmpty())
        m_libraryRoot = libraryRoot;
    m_showAll = false;
    rerender();
}

void WebNoteView::showMessage(const QString &html)
{
    m_markdown.clear();
    m_baseDir.clear();
    m_message = html;
    m_preview = false;
    rerender();
}

void WebNoteView::showAll()
{
    m_showAll = true;
    rerender();
}

void WebNoteView::rerender()
{
    if (!m_view) {
        m_pending = true;
        return;
    }
    m_pending = false;
    if (!m_message.isEmpty() || m_markdown.isEmpty()) {
        load(m_message);
        return;
    }
    NoteHtmlOptions o;
    o.baseDir = m_baseDir;
    o.libraryRoot = m_libraryRoot;
    o.interactiveTasks = true;
    const QString noteDir = m_baseDir;
    o.imageUrl = [noteDir](const QString &path) {
        // Images of the note's own folder only, served by the scheme handler.
        if (!isInsideFolder(path, noteDir))
            return QString();
        const QString rel = QDir(QFileInfo(noteDir).canonicalFilePath()).relativeFilePath(path);
        return QStringLiteral("paperlab-note://note/files/") + QString::fromUtf8(QUrl::toPercentEncoding(rel, "/"));
    };
    m_preview = !m_showAll && m_markdown.size() > kNotePreviewChars;
    if (!m_preview) {
        load(noteBodyHtml(m_markdown, o));
        return;
    }
    const qsizetype lineEnd = m_markdown.lastIndexOf(QLatin1Char('\n'), kNotePreviewChars - 1);
    const QString head = m_markdown.left(lineEnd > 0 ? lineEnd : kNotePreviewChars);
    const QString more = tr("Show all (the note has %1 characters; the first %2 are shown)")
                             .arg(QLocale().toString(m_markdown.size()), QLocale().toString(head.size()));
    load(noteBodyHtml(head, o) +
         QStringLiteral("<hr><p><a href=\"paperlab-note://action/show-all\">%1</a></p>").arg(more.toHtmlEscaped()));
}

void WebNoteView::load(const QString &body)
{
    // Scripts run only with this page's nonce: a <script> or onerror= in a shared note does not.
    const QString n = nonce();
    const bool katex = !katexDir().isEmpty();
    const QString html =
        QStringLiteral(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'nonce-%1'; "
            "style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:\">"
            "%2<style>%3</style></head><body>%4<div id=\"zoom\"><img alt=\"\"></div>"
            "%5<script nonce=\"%1\">%6%7</script></body></html>")
            .arg(n,
                 katex ? QStringLiteral("<link rel=\"stylesheet\" href=\"paperlab-note://note/katex/katex.min.css\">")
                       : QString(),
                 noteStyleSheet(paletteIsDark(palette())), body,
                 katex
                     ? QStringLiteral("<script nonce=\"%1\" src=\"paperlab-note://note/katex/katex.min.js\"></script>")
                           .arg(n)
                     : QString(),
                 QLatin1String(kPageScript), renderMathScript());
    // The same note again (a task clicked, the theme changed): keep the reader's place.
    const QPointF scroll = m_page->scrollPosition();
    const bool same = m_page->url().isValid();
    m_scheme->setPage(html.toUtf8(), m_baseDir);
    m_page->load(QUrl(QStringLiteral("paperlab-note://note/page.html")));
    if (same && !scroll.isNull()) {
        QMetaObject::Connection *c = new QMetaObject::Connection;
        *c = connect(m_page, &QWebEnginePage::loadFinished, this, [this, scroll, c] {
            disconnect(*c);
            delete c;
            m_page->runJavaScript(QStringLiteral("window.scrollTo(%1, %2)").arg(scroll.x()).arg(scroll.y()));
        });
    }
}

void WebNoteView::pageAction(const QUrl &url)
{
    const QUrlQuery q(url);
    if (url.path() == u"/show-all") {
        showAll();
    } else if (url.path() == u"/task") {
        bool ok = false;
        const int index = q.queryItemValue(QStringLiteral("index")).toInt(&ok);
        const QString changed =
            ok ? withTaskChecked(m_markdown, index, q.queryItemValue(QStringLiteral("checked")) == u"1") : QString();
        if (changed.isEmpty() || m_preview) {
            rerender();
            return;
        } // unknown task (or a cut note): show the note as it is
        m_markdown = changed;
        emit taskToggled(changed);
    } else if (url.path() == u"/open") {
        const QString href = q.queryItemValue(QStringLiteral("href"), QUrl::FullyDecoded);
        if (isOpenableLink(href)) {
            QDesktopServices::openUrl(QUrl(href));
        } else if (!m_libraryRoot.isEmpty() && isOpenableLink(href, m_baseDir, m_libraryRoot)) {
            // A file of the library (another note, a PDF): the application the desktop has for it.
            QDesktopServices::openUrl(
                QUrl::fromLocalFile(QDir(m_baseDir).absoluteFilePath(QUrl::fromPercentEncoding(href.toUtf8()))));
        }
    }
}

void WebNoteView::onTaskToggled(std::function<void(const QString &)> handler)
{
    connect(this, &WebNoteView::taskToggled, this, std::move(handler));
}

void WebNoteView::onRendered(std::function<void()> handler)
{
    connect(this, &WebNoteView::rendered, this, std::move(handler));
}

void WebNoteView::runJavaScript(const QString &script, std::function<void(const QVariant &)> done)
{
    ensureWebView();
    m_page->runJavaScript(script, std::move(done));
}

void WebNoteView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_view)
        rerender();
}

} // namespace paperlab::gui
