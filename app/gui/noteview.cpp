#include "noteview.h"

#include "notebrowser.h"
#include "notewebplugin.h"
#include "webpluginloader.h"

#include <QEvent>
#include <QTimer>
#include <QVBoxLayout>

#include <cstdio>

namespace paperlab::gui {

NoteView::NoteView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_text = new NoteBrowser(this);
    // Nothing is rendered before the first paint: the web view (or the text renderer) does it after.
    m_text->showMessage(QStringLiteral("<p>%1</p>").arg(tr("Loading…")));
    layout->addWidget(m_text);
    // The text view covers this widget, which then gets no paint event of its own.
    m_text->viewport()->installEventFilter(this);
}

bool NoteView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint && m_text && watched == m_text->viewport())
        startAfterPaint();
    return QWidget::eventFilter(watched, event);
}

void NoteView::startAfterPaint()
{
    if (m_tried)
        return;
    m_tried = true;
    QTimer::singleShot(0, this, &NoteView::ensureWebView);
}

void NoteView::showInTextView()
{
    m_text->setLibraryRoot(m_libraryRoot);
    if (!m_message.isEmpty() || m_markdown.isEmpty())
        m_text->showMessage(m_message);
    else
        m_text->showNote(m_markdown, m_baseDir, m_libraryRoot);
    if (m_showAll)
        m_text->showAll();
}

void NoteView::paintEvent(QPaintEvent *event)
{
    QWidget::paintEvent(event);
    startAfterPaint();
}

bool NoteView::ensureWebView()
{
    m_tried = true;
    if (m_web)
        return true;
    if (!m_webError.isEmpty())
        return false;
    NoteWebPlugin *plugin = noteWebPlugin(&m_webError);
    if (!plugin) {
        std::fprintf(stderr,
                     "paperlab: notes are shown without Qt WebEngine (no math typesetting, no task boxes): %s\n",
                     qPrintable(m_webError));
        showInTextView();
        QTimer::singleShot(0, this, &NoteView::rendered); // what is on show is all there will be
        return false;
    }
    m_web = plugin->createNoteView(this);
    m_web->setLibraryRoot(m_libraryRoot);
    m_web->onTaskToggled([this](const QString &markdown) {
        m_markdown = markdown;
        emit taskToggled(markdown);
    });
    m_web->onRendered([this] { emit rendered(); });
    if (!m_message.isEmpty())
        m_web->showMessage(m_message);
    else if (!m_markdown.isEmpty()) {
        m_web->showNote(m_markdown, m_baseDir, m_libraryRoot);
        if (m_showAll)
            m_web->showAll();
    }
    layout()->addWidget(m_web->widget());
    delete m_text;
    m_text = nullptr;
    return true;
}

void NoteView::showNote(const QString &markdown, const QString &baseDir, const QString &libraryRoot)
{
    m_markdown = markdown;
    m_message.clear();
    m_baseDir = baseDir;
    if (!libraryRoot.isEmpty())
        m_libraryRoot = libraryRoot;
    m_showAll = false;
    if (m_web)
        m_web->showNote(markdown, baseDir, libraryRoot);
    else if (!m_webError.isEmpty())
        m_text->showNote(markdown, baseDir, libraryRoot);
}

void NoteView::showMessage(const QString &html)
{
    m_markdown.clear();
    m_baseDir.clear();
    m_message = html;
    if (m_web)
        m_web->showMessage(html);
    else if (!m_webError.isEmpty())
        m_text->showMessage(html);
}

void NoteView::setLibraryRoot(const QString &root)
{
    m_libraryRoot = root;
    if (m_web)
        m_web->setLibraryRoot(root);
    else if (!m_webError.isEmpty())
        m_text->setLibraryRoot(root);
}

bool NoteView::isPreview() const
{
    return m_web ? m_web->isPreview() : m_text->isPreview();
}

void NoteView::showAll()
{
    m_showAll = true;
    if (m_web)
        m_web->showAll();
    else if (!m_webError.isEmpty())
        m_text->showAll();
}

void NoteView::runJavaScript(const QString &script, std::function<void(const QVariant &)> done)
{
    if (m_web)
        m_web->runJavaScript(script, std::move(done));
    else
        done(QVariant());
}

} // namespace paperlab::gui
