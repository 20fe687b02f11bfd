#include "notebrowser.h"

#include "markdownrenderer.h"

#include <QEvent>
#include <QLocale>
#include <QScrollBar>
#include <QUrl>

namespace paperlab::gui {

NoteBrowser::NoteBrowser(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenExternalLinks(true);
    setFrameShape(QFrame::NoFrame);
    document()->setDocumentMargin(10);
    // Handled before QTextBrowser would hand the link to the desktop; re-rendering replaces
    // the document, which tells QTextBrowser the click was taken care of.
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.toString() == QLatin1String(kShowAllNoteUrl))
            showAll();
    });
}

void NoteBrowser::showNote(const QString &markdown, const QString &baseDir, const QString &libraryRoot)
{
    m_markdown = markdown;
    m_baseDir = baseDir;
    m_libraryRoot = libraryRoot;
    m_showAll = false;
    rerender();
}

void NoteBrowser::showAll()
{
    m_showAll = true;
    rerender();
}

void NoteBrowser::showMessage(const QString &html)
{
    m_markdown.clear();
    m_baseDir.clear();
    setHtml(html);
}

void NoteBrowser::rerender()
{
    if (m_markdown.isNull())
        return;
    MarkdownOptions o;
    o.baseDir = m_baseDir;
    o.libraryRoot = m_libraryRoot;
    m_renderedWidth = viewport()->width();
    o.maxImageWidth = qMax(120, m_renderedWidth - 90); // room for list indentation
    o.dark = paletteIsDark(palette());
    const int scroll = verticalScrollBar()->value();
    m_preview = !m_showAll && m_markdown.size() > kNotePreviewChars;
    if (!m_preview) {
        setHtml(renderMarkdown(m_markdown, o));
    } else {
        const qsizetype lineEnd = m_markdown.lastIndexOf(QLatin1Char('\n'), kNotePreviewChars - 1);
        const QString head = m_markdown.left(lineEnd > 0 ? lineEnd : kNotePreviewChars);
        const QString more = tr("Show all (the note has %1 characters; the first %2 are shown)")
                                 .arg(QLocale().toString(m_markdown.size()), QLocale().toString(head.size()));
        setHtml(renderMarkdown(head, o) + QStringLiteral("<hr/><p><a href=\"%1\">%2</a></p>")
                                              .arg(QLatin1String(kShowAllNoteUrl), more.toHtmlEscaped()));
    }
    verticalScrollBar()->setValue(scroll);
}

QVariant NoteBrowser::loadResource(int type, const QUrl &name)
{
    if (type == QTextDocument::ImageResource && name.scheme() == QLatin1String(kMissingImageScheme))
        return missingImagePlaceholder(QUrl::fromPercentEncoding(name.path().toUtf8()), 360, paletteIsDark(palette()));
    const QVariant v = QTextBrowser::loadResource(type, name);
    if (type == QTextDocument::ImageResource && !v.isValid())
        return missingImagePlaceholder(name.toString(), 320, paletteIsDark(palette()));
    return v;
}

void NoteBrowser::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rerender();
}

void NoteBrowser::resizeEvent(QResizeEvent *event)
{
    QTextBrowser::resizeEvent(event);
    // Images are clamped to the width at render time; re-render when that matters.
    const int w = viewport()->width();
    if (!m_markdown.isEmpty() && qAbs(w - m_renderedWidth) > 60 &&
        (m_markdown.contains(QLatin1String("<img")) || m_markdown.contains(QLatin1String("!["))))
        rerender();
}

} // namespace paperlab::gui
