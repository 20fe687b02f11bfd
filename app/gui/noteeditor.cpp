#include "noteeditor.h"

#include "librarywriter.h"
#include "notebrowser.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QKeySequence>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSplitter>
#include <QToolBar>
#include <QVBoxLayout>

namespace paperlab::gui {

NoteEditor::NoteEditor(Library *library, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_library(library)
{
    setObjectName(QStringLiteral("noteEditor"));
    // Within the screen: on a 1024 x 700 one a 1200 x 760 editor ran off its edges.
    resize(QSize(1200, 760).boundedTo(screen()->availableGeometry().size()));
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(0);

    auto *bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    v->addWidget(bar);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_edit = new QPlainTextEdit(m_splitter);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabStopDistance(4 * m_edit->fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    m_edit->setPlaceholderText(tr("Write the note in Markdown: # headings, - lists, - [ ] tasks, | tables |, "
                                  "<mark>highlights</mark>, ![images](pictures/x.png)"));
    m_preview = new NoteBrowser(m_splitter);
    m_splitter->addWidget(m_edit);
    m_splitter->addWidget(m_preview);
    m_splitter->setSizes({600, 600});
    v->addWidget(m_splitter, 1);

    QAction *undo = bar->addAction(tr("Undo"), m_edit, &QPlainTextEdit::undo);
    undo->setShortcut(QKeySequence::Undo);
    undo->setEnabled(false);
    QAction *redo = bar->addAction(tr("Redo"), m_edit, &QPlainTextEdit::redo);
    redo->setShortcut(QKeySequence::Redo);
    redo->setEnabled(false);
    // The text edit handles the keys itself while focused; the actions serve the toolbar.
    undo->setShortcutContext(Qt::WidgetShortcut);
    redo->setShortcutContext(Qt::WidgetShortcut);
    connect(m_edit, &QPlainTextEdit::undoAvailable, undo, &QAction::setEnabled);
    connect(m_edit, &QPlainTextEdit::redoAvailable, redo, &QAction::setEnabled);
    bar->addSeparator();
    QAction *save = bar->addAction(tr("Save now"), this, &NoteEditor::saveNow);
    save->setShortcut(QKeySequence::Save);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_state = new QLabel(bar);
    m_state->setContentsMargins(0, 0, 8, 0);
    bar->addWidget(m_state);

    m_save.setSingleShot(true);
    m_save.setInterval(800);
    connect(&m_save, &QTimer::timeout, this, &NoteEditor::saveNow);
    m_render.setSingleShot(true);
    m_render.setInterval(120);
    connect(&m_render, &QTimer::timeout, this, &NoteEditor::updatePreview);
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_id)
            return;
        m_unsaved = true;
        m_state->setText(tr("Edited…"));
        m_save.start();
        m_render.start();
    });
}

NoteEditor::~NoteEditor()
{
    if (m_save.isActive())
        saveNow();
}

QString NoteEditor::stateText() const
{
    return m_state->text();
}

void NoteEditor::openPaper(qint64 id)
{
    if (!settleBeforeLeaving())
        return;
    m_id = 0; // no autosave while loading the text
    const std::optional<Paper> p = m_library->paper(id);
    if (!p)
        return;
    m_libraryRoot = p->libraryFolder;
    m_baseDir = p->notePath.isEmpty() ? p->libraryFolder : QFileInfo(p->notePath).absolutePath();
    setWindowTitle(tr("Note — %1").arg(p->abbr.isEmpty() ? p->title : p->abbr));
    m_edit->setPlainText(p->note);
    m_edit->document()->clearUndoRedoStacks();
    m_id = id;
    m_unsaved = false;
    if (!p->notePath.isEmpty())
        m_state->setText(tr("Saved to %1").arg(QFileInfo(p->notePath).fileName()));
    else if (p->libraryFolder.isEmpty())
        m_state->setText(tr("No library folder: the note is kept in the index"));
    else
        m_state->setText(tr("New note"));
    updatePreview();
}

bool NoteEditor::saveNow()
{
    m_save.stop();
    if (!m_id)
        return false;
    const qint64 id = m_id;
    const QString text = m_edit->toPlainText();
    m_unsaved = false;
    if (m_writer) {
        // Queued behind other edits (and behind an import holding the lock). A failed save is
        // kept by the writer for Retry, and marks the text unsaved so closing asks first.
        m_state->setText(tr("Saving…"));
        m_writer->submit(
            tr("the note of %1").arg(windowTitle()), [id, text](Library &lib) { return lib.setNote(id, text); }, this,
            [this, id](const QString &file) { saved(id, file); },
            [this, id](const QString &message) {
                if (id == m_id)
                    m_unsaved = true;
                m_state->setText(tr("Not saved (kept; Retry in the main window): %1").arg(message));
            });
        return true;
    }
    try {
        saved(id, m_library->setNote(id, text));
        return true;
    } catch (const std::exception &e) {
        // The text stays in the editor (m_unsaved): closing asks before it goes.
        m_unsaved = true;
        m_state->setText(tr("Not saved: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
}

void NoteEditor::saved(qint64 id, const QString &file)
{
    const QString time = QLocale().toString(QTime::currentTime(), QLocale::ShortFormat);
    if (file.isEmpty()) {
        // Papers from a Markdown list or BibTeX file have no folder of notes: say where it went.
        m_state->setText(tr("Saved in the index %1 (this paper has no library folder for a note file)").arg(time));
        m_state->setToolTip(m_library->path());
    } else {
        m_state->setText(tr("Saved %1").arg(time));
        m_state->setToolTip(file);
        if (id == m_id && (m_baseDir.isEmpty() || m_baseDir == m_libraryRoot))
            m_baseDir = QFileInfo(file).absolutePath();
    }
    emit noteSaved(id, file);
}

void NoteEditor::updatePreview()
{
    m_preview->showNote(m_edit->toPlainText(), m_baseDir, m_libraryRoot);
}

bool NoteEditor::settleBeforeLeaving()
{
    if (!m_id || !m_unsaved)
        return true;
    // A queued save has landed or failed once the writer is idle; failure sets m_unsaved again.
    const auto saveAndSettle = [this] { return saveNow() && (!m_writer || (m_writer->waitForIdle() && !m_unsaved)); };
    while (!saveAndSettle()) {
        QMessageBox box(
            QMessageBox::Warning, tr("Note not saved"),
            tr("The note could not be saved:\n%1\n\nYour text is still in the editor.").arg(m_state->text()),
            QMessageBox::Retry | QMessageBox::Discard | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("unsavedNoteQuestion"));
        box.setDefaultButton(QMessageBox::Cancel);
        const int answer = box.exec();
        if (answer == QMessageBox::Discard) {
            m_unsaved = false;
            return true;
        }
        if (answer != QMessageBox::Retry)
            return false;
    }
    return true;
}

void NoteEditor::closeEvent(QCloseEvent *event)
{
    if (!settleBeforeLeaving()) {
        event->ignore();
        return;
    }
    QWidget::closeEvent(event);
}

} // namespace paperlab::gui
