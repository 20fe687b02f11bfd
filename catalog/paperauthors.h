#pragma once
// The author rows of papers (schema version 6): one row per name of papers.authors, which
// keeps the "; "-joined text. The import writes them beside the paper's row; the author facet
// counts them (libraryfacets.cpp).

#include "sqlitedb.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace paperlab {

// The names of a "; "-joined authors text, each with its position in it (empty parts are
// skipped, their positions too): what the migration to version 6 splits in SQL.
QList<std::pair<int, QString>> authorNames(const QString &joined);

// Writes the author rows of the papers of one import; statements and author ids are kept for
// the whole batch. Use it inside the import's transaction.
class AuthorRowWriter {
public:
    // `readAllNames`: read every author id the library holds first (a large import, which
    // would otherwise ask SQLite for most of them one by one); a name not among them is then
    // new, and its INSERT needs no conflict check. The transaction's write lock keeps
    // another process from adding one meanwhile.
    AuthorRowWriter(Database &db, bool readAllNames);
    // The rows of paper `paperId` become the names of `joined` (its old rows go first unless
    // `isNew`: a paper just inserted has none).
    void write(qint64 paperId, const QString &joined, bool isNew);

private:
    qint64 authorId(const QString &name);

    Database &m_db;
    Statement m_clear, m_insertName, m_selectName, m_link;
    std::optional<Statement> m_insertNew; // set when m_ids holds every name of the library
    QHash<QString, qint64> m_ids;
};

} // namespace paperlab
