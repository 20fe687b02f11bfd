#pragma once
// The search language shared by the CLI and the app: FTS5 syntax plus field filters
//   author:dao  venue:ICML  year:2024  year:2024..2025  topic:"KV Cache"  status:read
//   tag:reading-group  institution:Berkeley  "exact phrase"  flash*  a OR b
// Bare words become prefix matches so results narrow as the user types.

#include <QString>
#include <QStringList>

#include <optional>

namespace paperlab {

struct SearchQuery {
    QString fts;         // FTS5 MATCH expression; empty for none
    QStringList authors; // substring matches
    QStringList venues;  // canonical venue names
    QStringList topics;  // topic keys
    QStringList tags;
    QStringList institutions; // substring matches
    int yearFrom = 0;         // 0: open
    int yearTo = 0;
    std::optional<int> status; // ReadingStatus value

    bool isEmpty() const;
};

struct QueryParse {
    SearchQuery query;
    QString error; // empty when the query is valid
};

QueryParse parseSearchQuery(const QString &text);

// Search as you type: a bare one-letter word ("a", the first key of "attention") matches
// nearly every paper, so it is left out until the next key arrives. Words inside "quoted
// phrases" are kept: they are part of the phrase.
QString withoutOneLetterWords(const QString &text);

} // namespace paperlab
