#pragma once
// Citation keys and author names shared by the BibTeX and CSL-JSON writers, so a paper
// gets the same key ("dao2022flashattention") in both files.

#include "../library.h"

#include <QHash>
#include <QString>

namespace paperlab {

struct PersonName {
    QString given;
    QString family; // empty family: a name written as one token, or an institution
};

// "Tri Dao" and "Dao, Tri" -> {Tri, Dao}; "Daliang Xu et.al." -> {Daliang, Xu}.
PersonName splitPersonName(const QString &name);

// Assigns each paper the citation key its BibTeX source gave it, or else a key
// AUTHORYEARWORD, ASCII lower-case; later duplicates get "b", "c", ... appended. Papers are keyed in the order given,
// so the same list gives the same keys every time.
class CitationKeys {
public:
    explicit CitationKeys(const QList<Paper> &papers);
    QString keyOf(const Paper &paper) const { return m_keys.value(paper.id); }

    // The key before de-duplication.
    static QString baseKey(const Paper &paper);

private:
    QHash<qint64, QString> m_keys;
};

} // namespace paperlab
