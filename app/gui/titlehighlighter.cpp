#include "titlehighlighter.h"

#include "searchquery.h"

#include <QStringList>

namespace paperlab::gui {

TitleHighlighter::TitleHighlighter(const QString &queryText)
{
    const QueryParse parsed = parseSearchQuery(queryText);
    if (!parsed.error.isEmpty() || parsed.query.fts.isEmpty())
        return;
    QStringList terms;
    static const QRegularExpression quoted(QStringLiteral("\"([^\"]*)\""));
    static const QRegularExpression nonWord(QStringLiteral("[^\\p{L}\\p{N}]+"));
    for (auto it = quoted.globalMatch(parsed.query.fts); it.hasNext();)
        for (const QString &w : it.next().captured(1).split(nonWord, Qt::SkipEmptyParts))
            terms << QRegularExpression::escape(w);
    if (terms.isEmpty())
        return;
    // Longest first so "attention" wins over "att" inside the alternation.
    std::sort(terms.begin(), terms.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    terms.removeDuplicates();
    m_re =
        QRegularExpression(QStringLiteral("(?<![\\p{L}\\p{N}])(?:%1)[\\p{L}\\p{N}]*").arg(terms.join(QLatin1Char('|'))),
                           QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
}

QList<TitleHighlighter::Match> TitleHighlighter::matches(const QString &title) const
{
    QList<Match> found;
    if (isEmpty())
        return found;
    for (auto it = m_re.globalMatch(title); it.hasNext();) {
        const auto m = it.next();
        if (m.capturedLength() > 0)
            found.append({int(m.capturedStart()), int(m.capturedLength())});
    }
    return found;
}

QString TitleHighlighter::toHtml(const QString &title, const QList<Match> &matches)
{
    QString out;
    qsizetype last = 0;
    for (const Match &m : matches) {
        out += title.mid(last, m.start - last).toHtmlEscaped();
        out += QStringLiteral("<b>") + title.mid(m.start, m.length).toHtmlEscaped() + QStringLiteral("</b>");
        last = m.start + m.length;
    }
    out += title.mid(last).toHtmlEscaped();
    return out;
}

} // namespace paperlab::gui
