#pragma once
// Finds the stored paper an incoming record is about: arXiv id first, then DOI or URL,
// then the normalized title (exact, or one a truncated prefix of the other), then a
// short title that equals a paper's abbreviation ("SageAttention").

#include "paperrecord.h"

#include <QHash>
#include <QMap>
#include <QString>

namespace paperlab {

class PaperMatcher {
public:
    struct Entry {
        QString arxivId;
        QString doi;
        QString urlNorm;
        QString normTitle;
        QString normAbbr;
        QString key;
    };

    void add(qint64 id, const Entry &entry);
    // 0 when no stored paper matches.
    qint64 match(const PaperRecord &record) const;
    static Entry entryFor(const PaperRecord &record);

    // Titles shorter than this never match by prefix: too many papers share short openings.
    static constexpr int kMinPrefix = 24;

private:
    qint64 byTitle(const QString &norm) const;

    QHash<QString, qint64> m_arxiv, m_doi, m_url, m_key;
    QMap<QString, qint64> m_titles;        // sorted, for prefix lookups
    QHash<QString, QList<qint64>> m_abbr;
};

} // namespace paperlab
