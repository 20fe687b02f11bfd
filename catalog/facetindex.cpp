#include "facetindex.h"

#include "sqlitedb.h"

#include <QSet>

#include <algorithm>
#include <functional>

namespace paperlab {
namespace {

bool isAsciiUpper(char c)
{
    return c >= 'A' && c <= 'Z';
}

// SQLite's NOCASE order: UTF-8 bytes with only ASCII letters folded (what the SQL facets sort by).
int compareNoCase(const QByteArray &a, const QByteArray &b)
{
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        const uchar x = isAsciiUpper(a[i]) ? uchar(a[i] | 0x20) : uchar(a[i]);
        const uchar y = isAsciiUpper(b[i]) ? uchar(b[i] | 0x20) : uchar(b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

// NOCASE, then as spelled (UTF-8 bytes, as SQLite's BINARY).
bool noCaseBefore(const QString &a, const QString &b)
{
    const QByteArray x = a.toUtf8(), y = b.toUtf8();
    const int c = compareNoCase(x, y);
    return c != 0 ? c < 0 : x < y;
}

QString noCaseKey(const QString &s)
{
    QByteArray key = s.toUtf8();
    for (char &c : key)
        if (isAsciiUpper(c))
            c = char(c | 0x20);
    return QString::fromUtf8(key);
}

// Pairs (slot, value index) gathered in any order, laid out per slot.
struct Pairs {
    std::vector<std::pair<int, int>> list;
    void layOut(int slotCount, std::vector<int> &offsets, std::vector<int> &items)
    {
        offsets.assign(size_t(slotCount) + 1, 0);
        for (const auto &[slot, value] : list)
            ++offsets[size_t(slot) + 1];
        for (size_t i = 1; i < offsets.size(); ++i)
            offsets[i] += offsets[i - 1];
        items.resize(list.size());
        std::vector<int> next(offsets.begin(), offsets.end() - 1);
        for (const auto &[slot, value] : list)
            items[size_t(next[size_t(slot)]++)] = value;
    }
};

} // namespace

bool facetMoreCommon(const FacetValue &a, const FacetValue &b)
{
    if (a.count != b.count)
        return a.count > b.count;
    return noCaseBefore(a.value, b.value);
}

FacetIndex::FacetIndex(Database &db)
{
    {
        auto st = db.prepare("SELECT id FROM papers");
        while (st.step()) {
            const qint64 id = st.int64(0);
            // Paper ids are SQLite's own row numbers, dense (papers are not deleted).
            if (id < 0 || id > (qint64(1) << 31))
                continue;
            if (size_t(id) >= m_slotById.size())
                m_slotById.resize(size_t(id) + 1 + m_slotById.size() / 2, -1);
            m_slotById[size_t(id)] = m_slots++;
        }
    }
    // Rows (paper id, value number, ...): `named` reads the value and label of a value number
    // the first time it is seen.
    auto load = [&](Facet f, const char *sql, const std::function<void(Statement &, FacetValue &)> &named) {
        Column &c = column(f);
        QHash<qint64, int> indexOf;
        Pairs pairs;
        auto st = db.prepare(sql);
        while (st.step()) {
            const int slot = slotOf(st.int64(0));
            if (slot < 0)
                continue;
            auto it = indexOf.find(st.int64(1));
            if (it == indexOf.end()) {
                it = indexOf.insert(st.int64(1), int(c.values.size()));
                FacetValue v;
                named(st, v);
                c.values.append(v);
            }
            pairs.list.emplace_back(slot, *it);
        }
        pairs.layOut(m_slots, c.offsets, c.items);
    };
    auto nameIn = [](int col) { return [col](Statement &st, FacetValue &v) { v.value = v.label = st.text(col); }; };
    load(Facet::Institution,
         "SELECT pi.paper_id, pi.institution_id, i.name FROM paper_institutions pi JOIN institutions i ON i.id = "
         "pi.institution_id",
         nameIn(2));
    load(Facet::Year, "SELECT id, year FROM papers WHERE year > 0", nameIn(1));
    load(Facet::Topic,
         "SELECT pt.paper_id, pt.topic_id, t.key, t.name FROM paper_topics pt JOIN topics t ON t.id = pt.topic_id",
         [](Statement &st, FacetValue &v) {
             v.value = st.text(2);
             v.label = st.text(3);
         });
    load(Facet::Status,
         "SELECT p.id, COALESCE(us.status, 0) FROM papers p LEFT JOIN user_state us ON us.paper_id = p.id",
         [](Statement &st, FacetValue &v) {
             v.value = readingStatusName(ReadingStatus(st.integer(1)));
             v.label = v.value.left(1).toUpper() + v.value.mid(1);
         });
    load(Facet::Tag, "SELECT pg.paper_id, pg.tag_id, g.name FROM paper_tags pg JOIN tags g ON g.id = pg.tag_id",
         nameIn(2));
    {
        // Venues group as SQL's GROUP BY venue COLLATE NOCASE does; a venue spelled in two
        // cases shows the spelling of its last paper.
        Column &c = column(Facet::Venue);
        QHash<QString, std::pair<int, qint64>> indexOf; // folded -> value, paper id it was spelled by
        Pairs pairs;
        auto st = db.prepare("SELECT id, venue FROM papers WHERE venue <> ''");
        while (st.step()) {
            const qint64 id = st.int64(0);
            const int slot = slotOf(id);
            if (slot < 0)
                continue;
            const QString venue = st.text(1);
            auto it = indexOf.find(noCaseKey(venue));
            if (it == indexOf.end()) {
                it = indexOf.insert(noCaseKey(venue), {int(c.values.size()), id});
                c.values.append({venue, venue, 0});
            } else if (id > it->second) {
                it->second = id;
                c.values[it->first] = {venue, venue, 0};
            }
            pairs.list.emplace_back(slot, it->first);
        }
        pairs.layOut(m_slots, c.offsets, c.items);
    }
    {
        // Authors numbered in their tie order (the authors_order index), so that a value's
        // number ranks it among authors of equal count; names are read when shown.
        Column &c = column(Facet::Author);
        auto order = db.prepare("SELECT id FROM authors ORDER BY name COLLATE NOCASE, name");
        while (order.step()) {
            m_authorByRowId.insert(order.int64(0), int(c.rowId.size()));
            c.rowId.push_back(order.int64(0));
        }
        Pairs pairs;
        auto st = db.prepare("SELECT paper_id, author_id FROM paper_authors");
        while (st.step()) {
            const int slot = slotOf(st.int64(0));
            const auto it = m_authorByRowId.constFind(st.int64(1));
            if (slot >= 0 && it != m_authorByRowId.constEnd())
                pairs.list.emplace_back(slot, *it);
        }
        pairs.layOut(m_slots, c.offsets, c.items);
    }
}

int FacetIndex::slotOf(qint64 id) const
{
    return id >= 0 && size_t(id) < m_slotById.size() ? m_slotById[size_t(id)] : -1;
}

const QString &FacetIndex::nameOf(Database &db, int author)
{
    Column &c = column(Facet::Author);
    if (c.values.isEmpty())
        c.values.resize(qsizetype(c.rowId.size()));
    FacetValue &v = c.values[author];
    if (v.value.isNull()) {
        auto st = db.prepare("SELECT name FROM authors WHERE id = ?");
        st.bind(1, c.rowId[size_t(author)]);
        v.value = v.label = st.step() ? st.text(0) : QString(QLatin1String(""));
    }
    return v.value;
}

FacetCounts FacetIndex::top(Database &db, Facet f, int top, const QStringList &keep, const QList<qint64> *within)
{
    const Column &c = column(f);
    const bool authors = f == Facet::Author;
    const size_t valueCount = authors ? c.rowId.size() : size_t(c.values.size());
    std::vector<int> counts(valueCount, 0);
    auto countSlot = [&](int slot) {
        for (int i = c.offsets[size_t(slot)]; i < c.offsets[size_t(slot) + 1]; ++i)
            ++counts[size_t(c.items[size_t(i)])];
    };
    if (within) {
        std::vector<bool> seen(size_t(m_slots), false);
        for (const qint64 id : *within) {
            const int slot = slotOf(id);
            if (slot < 0 || seen[size_t(slot)])
                continue;
            seen[size_t(slot)] = true;
            countSlot(slot);
        }
    } else {
        for (int slot = 0; slot < m_slots; ++slot)
            countSlot(slot);
    }
    std::vector<int> present;
    for (size_t i = 0; i < valueCount; ++i)
        if (counts[i] > 0)
            present.push_back(int(i));

    // Library::facet()'s ORDER BYs, on value numbers.
    std::function<bool(int, int)> before;
    auto byCountThenLabel = [&](int a, int b) {
        if (counts[size_t(a)] != counts[size_t(b)])
            return counts[size_t(a)] > counts[size_t(b)];
        return noCaseBefore(c.values[a].label, c.values[b].label);
    };
    switch (f) {
    case Facet::Institution:
    case Facet::Venue:
    case Facet::Topic:
        before = byCountThenLabel;
        break;
    case Facet::Year:
        before = [&](int a, int b) { return c.values[a].value.toInt() > c.values[b].value.toInt(); };
        break;
    case Facet::Status:
        before = [&](int a, int b) {
            return readingStatusFromName(c.values[a].value).value_or(ReadingStatus::Unread) <
                   readingStatusFromName(c.values[b].value).value_or(ReadingStatus::Unread);
        };
        break;
    case Facet::Tag:
        before = [&](int a, int b) { return noCaseBefore(c.values[a].value, c.values[b].value); };
        break;
    case Facet::Author:
        // Numbered in tie order already.
        before = [&](int a, int b) {
            return counts[size_t(a)] != counts[size_t(b)] ? counts[size_t(a)] > counts[size_t(b)] : a < b;
        };
        break;
    }

    FacetCounts out;
    out.distinct = int(present.size());
    auto valueOf = [&](int i) {
        FacetValue v = authors ? FacetValue{nameOf(db, i), nameOf(db, i), 0} : c.values[i];
        v.count = counts[size_t(i)];
        return v;
    };
    std::vector<int> shown;
    if (top < 0 || present.size() <= size_t(top)) {
        std::sort(present.begin(), present.end(), before);
        shown = std::move(present);
    } else {
        std::partial_sort(present.begin(), present.begin() + top, present.end(), before);
        shown.assign(present.begin(), present.begin() + top);
        // The kept values ranked below the top, in the facet's order.
        QSet<int> kept;
        for (const QString &value : keep) {
            if (authors) {
                auto st = db.prepare("SELECT id FROM authors WHERE name = ?");
                st.bind(1, value);
                if (st.step())
                    if (const auto it = m_authorByRowId.constFind(st.int64(0)); it != m_authorByRowId.constEnd())
                        kept.insert(*it);
            } else {
                for (qsizetype i = 0; i < c.values.size(); ++i)
                    if (c.values[i].value == value)
                        kept.insert(int(i));
            }
        }
        std::vector<int> below;
        for (auto it = present.begin() + top; it != present.end(); ++it)
            if (kept.contains(*it))
                below.push_back(*it);
        std::sort(below.begin(), below.end(), before);
        shown.insert(shown.end(), below.begin(), below.end());
    }
    out.values.reserve(qsizetype(shown.size()));
    for (int i : shown)
        out.values.append(valueOf(i));
    return out;
}

} // namespace paperlab
