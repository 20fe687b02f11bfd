#pragma once
// The note editor (Ctrl+E): Markdown on the left, the rendered note on the right, updated as
// you type. Saves itself (debounced) to the library, which writes the note file too; closing
// the window flushes a pending save, and when that fails asks before any typed text goes.
// Undo/redo are the text edit's own, with toolbar buttons.

#include "library.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QSplitter;

namespace paperlab::gui {

class LibraryWriter;
class NoteBrowser;

class NoteEditor : public QWidget {
    Q_OBJECT
public:
    NoteEditor(Library *library, QWidget *parent = nullptr);
    ~NoteEditor() override;

    void openPaper(qint64 id);
    qint64 paperId() const { return m_id; }
    QPlainTextEdit *textEdit() const { return m_edit; }
    NoteBrowser *preview() const { return m_preview; }
    QSplitter *splitter() const { return m_splitter; }
    bool hasPendingSave() const { return m_save.isActive(); }
    // Typed text the library does not hold yet (a save failed or is pending).
    bool hasUnsavedText() const { return m_unsaved; }
    QString stateText() const;
    void setAutosaveDelay(int ms) { m_save.setInterval(ms); }
    // Saves go through the GUI's one writer (without one: directly, on this thread).
    void setWriter(LibraryWriter *writer) { m_writer = writer; }

public slots:
    bool saveNow();

signals:
    void noteSaved(qint64 id, const QString &file);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void updatePreview();
    void saved(qint64 id, const QString &file);
    // Saves what is typed; when that fails, asks whether to retry, discard or stay.
    // Returns true when leaving the text is fine.
    bool settleBeforeLeaving();

    Library *m_library;
    LibraryWriter *m_writer = nullptr;
    qint64 m_id = 0;
    QString m_baseDir;
    QString m_libraryRoot;
    bool m_unsaved = false;
    QPlainTextEdit *m_edit = nullptr;
    NoteBrowser *m_preview = nullptr;
    QSplitter *m_splitter = nullptr;
    QLabel *m_state = nullptr;
    QTimer m_save;
    QTimer m_render;
};

} // namespace paperlab::gui
