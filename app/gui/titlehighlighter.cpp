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

QString TitleHighlighter::highlight(const QString &title) const
{
    if (isEmpty())
        return title.toHtmlEscaped();
    QString out;
    qsizetype last = 0;
    for (auto it = m_re.globalMatch(title); it.hasNext();) {
        const auto m = it.next();
        if (m.capturedLength() == 0)
            continue;
        out += title.mid(last, m.capturedStart() - last).toHtmlEscaped();
        out += QStringLiteral("<b>") + m.captured().toHtmlEscaped() + QStringLiteral("</b>");
        last = m.capturedEnd();
    }
    out += title.mid(last).toHtmlEscaped();
    return out;
}

} // namespace paperlab::gui
