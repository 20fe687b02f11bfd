#pragma once
// Finds the stored paper an incoming record is about: arXiv id first, then DOI or URL,
// then the normalized title (exact, or one a truncated prefix of the other), then a
// short title that equals a paper's abbreviation ("SageAttention").
// The weak identities (the library key, a short name, a title alone) never merge two
// records whose strong ones disagree: two EfficientPaper papers both keyed "DSA" with
// different titles and arXiv ids stay two papers.

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

    // Whether two descriptions can be one paper: no arXiv ids, URLs or titles that say
    // otherwise (a title agrees with an equal title, a truncated one, or its short name).
    static bool compatible(const Entry &stored, const Entry &incoming);

    // Of two titles two sources give one paper, the one to show: the cleaner (no URL, no
    // "(affiliation)", not shouting in capitals, not spelled with '_'), else the longer
    // (the other was truncated), else the first in text order, so the result does not
    // depend on which source was imported first.
    static QString cleanerTitle(const QString &a, const QString &b);

private:
    qint64 byTitle(const QString &norm) const;
    // `id` when its stored entry is compatible with `incoming`, else 0.
    qint64 ifCompatible(qint64 id, const Entry &incoming) const;

    QHash<QString, qint64> m_arxiv, m_doi, m_url, m_key;
    QMap<QString, qint64> m_titles; // sorted, for prefix lookups
    QHash<QString, QList<qint64>> m_abbr;
    QHash<qint64, Entry> m_entries; // the latest entry of each paper, for compatible()
};

} // namespace paperlab
