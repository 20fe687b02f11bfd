#include "paperauthors.h"

namespace paperlab {

QList<std::pair<int, QString>> authorNames(const QString &joined)
{
    QList<std::pair<int, QString>> out;
    const QStringList parts = joined.split(QStringLiteral("; "));
    for (qsizetype i = 0; i < parts.size(); ++i)
        if (!parts[i].isEmpty())
            out.append({int(i), parts[i]});
    return out;
}

AuthorRowWriter::AuthorRowWriter(Database &db, bool readAllNames)
    : m_db(db)
    , m_clear(db.prepare("DELETE FROM paper_authors WHERE paper_id = ?"))
    , m_insertName(db.prepare("INSERT INTO authors(name) VALUES (?) ON CONFLICT(name) DO NOTHING RETURNING id"))
    , m_selectName(db.prepare("SELECT id FROM authors WHERE name = ?"))
    , m_link(db.prepare("INSERT INTO paper_authors(paper_id, position, author_id) VALUES (?, ?, ?)"))
{
    if (!readAllNames)
        return;
    auto all = db.prepare("SELECT id, name FROM authors");
    while (all.step())
        m_ids.insert(all.text(1), all.int64(0));
    m_insertNew.emplace(db.prepare("INSERT INTO authors(name) VALUES (?)"));
}

qint64 AuthorRowWriter::authorId(const QString &name)
{
    qint64 &id = m_ids[name];
    if (!id && m_insertNew) {
        m_insertNew->bind(1, name).run();
        id = m_db.lastInsertId();
    } else if (!id) {
        // A new name is numbered by its INSERT; only a name the library held before the
        // batch needs the look-up.
        m_insertName.bind(1, name);
        id = m_insertName.step() ? m_insertName.int64(0) : 0;
        m_insertName.reset();
        if (!id) {
            m_selectName.bind(1, name);
            id = m_selectName.step() ? m_selectName.int64(0) : 0;
            m_selectName.reset();
        }
    }
    return id;
}

void AuthorRowWriter::write(qint64 paperId, const QString &joined, bool isNew)
{
    if (!isNew)
        m_clear.bind(1, paperId).run();
    for (const auto &[position, name] : authorNames(joined))
        m_link.bind(1, paperId).bind(2, position).bind(3, authorId(name)).run();
}

} // namespace paperlab
