#pragma once
// The paper table: a QAbstractTableModel over an ordered list of ids (what a search found).
// Rows are read lazily from the Library a page at a time, so a 100,000-paper result costs an
// id list, and only the pages the view paints are ever loaded. Notes are never loaded here.

#include "library.h"
#include "titlehighlighter.h"

#include <QAbstractTableModel>
#include <QHash>

namespace paperlab::gui {

class LibraryWriter;

class PaperTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Authors and Tags came later: appended, so a saved header state keeps its meaning.
    enum Column { Title, Abbr, Venue, Year, Institutions, Topics, Code, Status, Rating, Authors, Tags, ColumnCount };
    // TitleMatchesRole: the title's matched words (QList<TitleHighlighter::Match>), what the
    // table paints bold; HighlightedTitleRole: the same as HTML (for labels and tests).
    enum Role { IdRole = Qt::UserRole + 1, HighlightedTitleRole, UrlRole, SortKeyRole, TitleMatchesRole };

    explicit PaperTableModel(Library *library, QObject *parent = nullptr);
    // Status and rating edits go through the GUI's one writer (without one: directly).
    void setWriter(LibraryWriter *writer) { m_writer = writer; }

    // Replaces the rows (one model reset). `query` is used to highlight matches in titles.
    void setIds(const QList<qint64> &ids, const QString &query = {});
    // The same result set, complete: `ids` starts with the rows already shown (a first page
    // delivered early), so rows are appended instead of resetting the view.
    void extendIds(const QList<qint64> &ids);
    const QList<qint64> &ids() const { return m_ids; }
    qint64 idAt(int row) const { return row >= 0 && row < m_ids.size() ? m_ids[row] : 0; }
    int rowOf(qint64 id) const { return int(m_ids.indexOf(id)); }
    // Forget what is cached for a paper (after an edit) and repaint its row.
    void refreshPaper(qint64 id);
    void refreshAll(); // another process changed the index: re-read the visible rows

    static SortKey sortKeyFor(int column);
    static int columnFor(SortKey key);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    // Rows read from the library at a time, as the view asks for them: a screen and a half.
    // After every keystroke the first page is read for the repaint; 200 rows took ~1.9 ms at
    // 100,000 papers (more on pages not touched yet), 64 rows ~0.7 ms.
    static constexpr int kPageSize = 64;

signals:
    // A user edit (status, rating) was written to the library.
    void paperEdited(qint64 id);

private:
    const PaperSummary *summaryAt(int row) const;
    const QList<TitleHighlighter::Match> &titleMatches(const PaperSummary &s) const;

    Library *m_library;
    LibraryWriter *m_writer = nullptr;
    QList<qint64> m_ids;
    TitleHighlighter m_highlighter;
    mutable QHash<int, QList<PaperSummary>> m_pages; // page number -> rows
    mutable QHash<qint64, QList<TitleHighlighter::Match>> m_highlighted;
};

QString statusLabel(ReadingStatus s);
QString ratingStars(int rating);

} // namespace paperlab::gui
