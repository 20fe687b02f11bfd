#pragma once
// Marks the words of a title that a search matched, for the table's title column.
// Done here rather than with FTS5's highlight(): that re-runs the MATCH for every painted row,
// which costs ~100 ms a row for a one-letter prefix on a 100,000-paper library.
// Terms come from the parsed FTS expression: bare words match as prefixes (as in the search),
// phrase words as prefixes too; operators and field filters (author:, venue:...) are not terms.

#include <QList>
#include <QRegularExpression>
#include <QString>

namespace paperlab::gui {

class TitleHighlighter {
public:
    // A matched word: its start and length in the title's UTF-16 units (QTextLayout's units).
    struct Match {
        int start = 0;
        int length = 0;
        bool operator==(const Match &o) const { return start == o.start && length == o.length; }
    };

    TitleHighlighter() = default;
    explicit TitleHighlighter(const QString &queryText);

    bool isEmpty() const { return !m_re.isValid() || m_re.pattern().isEmpty(); }
    // The matched words of `title`, in order, not overlapping.
    QList<Match> matches(const QString &title) const;
    // HTML: the title escaped, with matched words in <b>…</b>.
    static QString toHtml(const QString &title, const QList<Match> &matches);
    QString highlight(const QString &title) const { return toHtml(title, matches(title)); }

private:
    QRegularExpression m_re;
};

} // namespace paperlab::gui

Q_DECLARE_METATYPE(paperlab::gui::TitleHighlighter::Match)
