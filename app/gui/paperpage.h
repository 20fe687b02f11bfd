#pragma once
// The right pane: one paper. A header (cover, title, authors, institutions, venue badge,
// link buttons, status, rating, tags) above tabs whose first is the rendered note.
// Further tabs are PaperPageSection plug-ins (addSection): the kernels Playground hooks in
// there, so the page grows without this class knowing about it.

#include "library.h"

#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QToolButton;
class QPlainTextEdit;

namespace paperlab::playground {
class ColourLabel;
}

namespace paperlab::gui {

class LibraryWriter;
class NoteView;

// A tab of the paper page that follows the selected paper.
class PaperPageSection : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    // nullptr when no paper is selected.
    virtual void showPaper(const Paper *paper) = 0;
};

class PaperPage : public QWidget {
    Q_OBJECT
public:
    // Reads through `library` (GUI thread); edits go through `writer` (the one writer thread).
    PaperPage(Library *library, LibraryWriter *writer, QWidget *parent = nullptr);

    void showPaper(qint64 id); // 0: nothing selected
    void reload();             // re-read the current paper (after an edit elsewhere)
    // Re-reads the current paper and redraws only when it changed (another process wrote).
    void reloadIfChanged();
    qint64 paperId() const { return m_paper ? m_paper->id : 0; }
    const std::optional<Paper> &paper() const { return m_paper; }

    void addSection(const QString &title, PaperPageSection *section);
    // Brings the tab with this title to the front; false when there is none.
    bool showTab(const QString &title);
    NoteView *noteView() const { return m_note; }
    QLineEdit *tagEdit() const { return m_tagEdit; }
    void refreshTagCompletion();

signals:
    void editNoteRequested(qint64 id);
    void paperEdited(qint64 id);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildUi();
    void fill();
    void rebuildTags();
    void addTagFromEdit();
    // Queues an edit of the current paper; paperEdited follows once it is in the index.
    void edit(const QString &what, std::function<void(Library &, qint64)> change);
    QString noteFolder() const;
    QString libraryFolder() const; // empty when the index cannot be read
    QString resolvePath(const QString &path) const;

    Library *m_library;
    LibraryWriter *m_writer;
    std::optional<Paper> m_paper;
    QList<PaperPageSection *> m_sections;

    QStackedWidget *m_stack = nullptr;
    QLabel *m_cover = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_abbr = nullptr;
    QLabel *m_authors = nullptr;
    QLabel *m_institutions = nullptr;
    playground::ColourLabel *m_venue = nullptr;
    QLabel *m_topics = nullptr;
    QHBoxLayout *m_links = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_rating = nullptr;
    QHBoxLayout *m_tags = nullptr;
    QLineEdit *m_tagEdit = nullptr;
    QPushButton *m_editNote = nullptr;
    QTabWidget *m_tabs = nullptr;
    NoteView *m_note = nullptr;
    QLabel *m_details = nullptr;
    bool m_filling = false;
};

} // namespace paperlab::gui
