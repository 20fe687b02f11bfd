#include "papertablemodel.h"

#include "librarywriter.h"
#include "mathtext.h"
#include "searchquery.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>
#include <QUrl>

namespace paperlab::gui {

QString statusLabel(ReadingStatus s)
{
    switch (s) {
    case ReadingStatus::Unread:
        return QObject::tr("Unread");
    case ReadingStatus::Reading:
        return QObject::tr("Reading");
    case ReadingStatus::Read:
        return QObject::tr("Read");
    }
    return {};
}

QString ratingStars(int rating)
{
    rating = qBound(0, rating, 5);
    return QString(rating, QChar(0x2605)) + QString(5 - rating, QChar(0x2606));
}

PaperTableModel::PaperTableModel(Library *library, QObject *parent)
    : QAbstractTableModel(parent)
    , m_library(library)
{}

void PaperTableModel::refreshAll()
{
    if (m_ids.isEmpty())
        return;
    m_pages.clear();
    m_highlighted.clear();
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void PaperTableModel::setIds(const QList<qint64> &ids, const QString &query)
{
    beginResetModel();
    m_ids = ids;
    m_highlighter = TitleHighlighter(query);
    m_pages.clear();
    m_highlighted.clear();
    endResetModel();
}

void PaperTableModel::extendIds(const QList<qint64> &ids)
{
    if (ids.size() <= m_ids.size() || !std::equal(m_ids.begin(), m_ids.end(), ids.begin())) {
        // Not a continuation (the order changed): fall back to a reset.
        beginResetModel();
        m_ids = ids;
        m_pages.clear();
        m_highlighted.clear();
        endResetModel();
        return;
    }
    beginInsertRows({}, int(m_ids.size()), int(ids.size()) - 1);
    // The last cached page may have been short: forget it so it is read again whole.
    m_pages.remove(int(m_ids.size()) / kPageSize);
    m_ids = ids;
    endInsertRows();
}

void PaperTableModel::refreshPaper(qint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_pages.remove(row / kPageSize);
    m_highlighted.remove(id);
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

const PaperSummary *PaperTableModel::summaryAt(int row) const
{
    if (row < 0 || row >= m_ids.size())
        return nullptr;
    const int page = row / kPageSize;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        // Keep memory flat however far the user scrolls: a few dozen pages at most.
        if (m_pages.size() > 64)
            m_pages.clear();
        const QList<qint64> slice = m_ids.mid(qsizetype(page) * kPageSize, kPageSize);
        QList<PaperSummary> rows;
        try {
            const QList<PaperSummary> fetched = m_library->summaries(slice);
            // summaries() may return them in any order: put them back in the page's order.
            QHash<qint64, qsizetype> at;
            for (qsizetype i = 0; i < fetched.size(); ++i)
                at.insert(fetched[i].id, i);
            rows.reserve(slice.size());
            for (qint64 id : slice) {
                auto f = at.find(id);
                if (f != at.end())
                    rows.append(fetched[*f]);
                else {
                    PaperSummary missing;
                    missing.id = id;
                    rows.append(missing);
                }
            }
        } catch (const std::exception &) {
            for (qint64 id : slice) {
                PaperSummary missing;
                missing.id = id;
                rows.append(missing);
            }
        }
        it = m_pages.insert(page, rows);
    }
    const int offset = row % kPageSize;
    return offset < it->size() ? &(*it)[offset] : nullptr;
}

// Computed once per paper and query: the regex is the costly part, not the painting.
const QList<TitleHighlighter::Match> &PaperTableModel::titleMatches(const PaperSummary &s) const
{
    static const QList<TitleHighlighter::Match> none;
    if (m_highlighter.isEmpty())
        return none;
    auto it = m_highlighted.find(s.id);
    if (it == m_highlighted.end())
        it = m_highlighted.insert(s.id, m_highlighter.matches(mathAsUnicode(s.title)));
    return *it;
}

int PaperTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}
int PaperTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PaperTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_ids.size())
        return {};
    if (role == IdRole)
        return m_ids[index.row()];
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != Qt::ToolTipRole && role != HighlightedTitleRole &&
        role != TitleMatchesRole && role != UrlRole && role != Qt::TextAlignmentRole && role != Qt::ForegroundRole)
        return {};
    const PaperSummary *s = summaryAt(index.row());
    if (!s)
        return {};
    const int col = index.column();
    if (role == Qt::TextAlignmentRole)
        return col == Year || col == Rating ? QVariant(Qt::AlignCenter) : QVariant(Qt::AlignVCenter | Qt::AlignLeft);
    if (role == Qt::ForegroundRole) {
        if (col == Rating && s->rating == 0)
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        if (col == Status && s->status == ReadingStatus::Unread)
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        return {};
    }
    if (role == HighlightedTitleRole || role == TitleMatchesRole) {
        if (col != Title)
            return {};
        const QList<TitleHighlighter::Match> &matches = titleMatches(*s);
        if (role == TitleMatchesRole)
            return QVariant::fromValue(matches);
        return TitleHighlighter::toHtml(mathAsUnicode(s->title), matches);
    }
    if (role == UrlRole)
        return col == Code ? s->codeUrl : QString();
    if (role == Qt::EditRole) {
        if (col == Status)
            return int(s->status);
        if (col == Rating)
            return s->rating;
    }
    switch (col) {
    case Title:
        return mathAsUnicode(s->title); // a cell is plain text: "H₂O", not "H$_2$O"
    case Abbr:
        return s->abbr;
    case Venue:
        return s->venue;
    case Year:
        return s->year > 0 ? QVariant(s->year) : QVariant(QString());
    case Institutions:
        return s->institutions;
    case Topics:
        return s->topics;
    case Authors:
        return role == Qt::ToolTipRole ? s->authorNames
                                       : QString(s->authorNames).replace(QLatin1String("; "), QLatin1String(", "));
    case Tags:
        return QString(s->tagNames).replace(QLatin1String("; "), QLatin1String(", "));
    case Code:
        if (role == Qt::ToolTipRole)
            return s->codeUrl;
        return s->codeUrl.isEmpty()
                   ? QString()
                   : QUrl(s->codeUrl).path().section(QLatin1Char('/'), -1, -1, QString::SectionSkipEmpty);
    case Status:
        return statusLabel(s->status);
    case Rating:
        return role == Qt::ToolTipRole ? tr("%n star(s); type 0-5 to rate", nullptr, s->rating)
                                       : ratingStars(s->rating);
    }
    return {};
}

bool PaperTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole)
        return false;
    const qint64 id = idAt(index.row());
    const int v = value.toInt();
    std::function<void(Library &)> change;
    if (index.column() == Status && v >= 0 && v <= 2)
        change = [id, v](Library &lib) { lib.setStatus(id, ReadingStatus(v)); };
    else if (index.column() == Rating && v >= 0 && v <= 5)
        change = [id, v](Library &lib) { lib.setRating(id, v); };
    else
        return false;
    if (!m_writer) {
        try {
            change(*m_library);
        } catch (const std::exception &) {
            return false;
        }
        refreshPaper(id);
        emit paperEdited(id);
        return true;
    }
    // Shown at once (the cached row is updated); the writer lands it, then the row is re-read.
    if (auto *row = const_cast<PaperSummary *>(summaryAt(index.row()))) {
        if (index.column() == Status)
            row->status = ReadingStatus(v);
        else
            row->rating = v;
        emit dataChanged(index, index);
    }
    const QString what = index.column() == Status
                             ? tr("status of %1").arg(index.siblingAtColumn(Title).data().toString())
                             : tr("rating of %1").arg(index.siblingAtColumn(Title).data().toString());
    m_writer->submit(
        what,
        [change](Library &lib) {
            change(lib);
            return QString();
        },
        this,
        [this, id](const QString &) {
            refreshPaper(id);
            emit paperEdited(id);
        });
    return true;
}

QVariant PaperTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Title:
        return tr("Title");
    case Abbr:
        return tr("Short");
    case Venue:
        return tr("Venue");
    case Year:
        return tr("Year");
    case Institutions:
        return tr("Institutions");
    case Topics:
        return tr("Topics");
    case Code:
        return tr("Code");
    case Status:
        return tr("Status");
    case Rating:
        return tr("Rating");
    case Authors:
        return tr("Authors");
    case Tags:
        return tr("Tags");
    }
    return {};
}

Qt::ItemFlags PaperTableModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && (index.column() == Status || index.column() == Rating))
        f |= Qt::ItemIsEditable;
    return f;
}

SortKey PaperTableModel::sortKeyFor(int column)
{
    switch (column) {
    case Title:
        return SortKey::Title;
    case Abbr:
        return SortKey::Abbr;
    case Venue:
        return SortKey::Venue;
    case Year:
        return SortKey::Year;
    case Institutions:
        return SortKey::Institutions;
    case Topics:
        return SortKey::Topics;
    case Code:
        return SortKey::Code;
    case Status:
        return SortKey::Status;
    case Rating:
        return SortKey::Rating;
    case Authors:
        return SortKey::Authors;
    case Tags:
        return SortKey::Tags;
    }
    return SortKey::Relevance;
}

int PaperTableModel::columnFor(SortKey key)
{
    for (int c = 0; c < ColumnCount; ++c)
        if (sortKeyFor(c) == key)
            return c;
    return -1;
}

} // namespace paperlab::gui
