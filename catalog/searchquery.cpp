#include "searchquery.h"

#include "paperrecord.h"
#include "textnormalize.h"
#include "venue.h"

#include <QRegularExpression>

namespace paperlab {
namespace {

// Splits on spaces, keeping "quoted phrases" (and field:"quoted values") whole.
QStringList tokenize(const QString &text, QString &error)
{
    QStringList tokens;
    QString cur;
    bool inQuote = false;
    for (const QChar c : text) {
        if (c == QLatin1Char('"')) {
            inQuote = !inQuote;
            cur.append(c);
        } else if (c.isSpace() && !inQuote) {
            if (!cur.isEmpty())
                tokens.append(cur);
            cur.clear();
        } else {
            cur.append(c);
        }
    }
    if (inQuote)
        error = QStringLiteral("unclosed quote");
    if (!cur.isEmpty())
        tokens.append(cur);
    return tokens;
}

QString unquote(QString s)
{
    if (s.size() >= 2 && s.startsWith(QLatin1Char('"')) && s.endsWith(QLatin1Char('"')))
        s = s.mid(1, s.size() - 2);
    return s.trimmed();
}

bool isFtsOperator(const QString &t)
{
    return t == u"AND" || t == u"OR" || t == u"NOT" || t.startsWith(QLatin1String("NEAR("));
}

// A bare word becomes a quoted prefix query, which FTS5 accepts whatever the word holds.
QString ftsTerm(const QString &token)
{
    if (isFtsOperator(token) || token.startsWith(QLatin1Char('"')) || token == u"(" || token == u")")
        return token;
    if (token.endsWith(QLatin1Char('*')))
        return QStringLiteral("\"%1\"*").arg(token.chopped(1).replace(QLatin1Char('"'), QString()));
    // Parentheses glued to words stay FTS grouping.
    QString lead, trail, word = token;
    while (word.startsWith(QLatin1Char('('))) {
        lead += QLatin1Char('(');
        word.remove(0, 1);
    }
    while (word.endsWith(QLatin1Char(')'))) {
        trail += QLatin1Char(')');
        word.chop(1);
    }
    if (word.isEmpty())
        return token;
    return lead + QStringLiteral("\"%1\"*").arg(word.replace(QLatin1Char('"'), QString())) + trail;
}

bool isFieldName(const QString &name)
{
    static const QStringList fields = {"author",      "venue", "topic",  "keyword", "tag",
                                       "institution", "inst",  "status", "year"};
    return fields.contains(name);
}

// The spans of text outside "quoted phrases", as [begin, end) pairs.
QList<std::pair<int, int>> unquotedSpans(const QString &text)
{
    QList<std::pair<int, int>> spans;
    int begin = 0;
    bool inQuote = false;
    for (int i = 0; i < text.size(); ++i) {
        if (text[i] != QLatin1Char('"'))
            continue;
        if (!inQuote && i > begin)
            spans.append({begin, i});
        inQuote = !inQuote;
        begin = i + 1;
    }
    if (!inQuote && begin < text.size())
        spans.append({begin, int(text.size())});
    return spans;
}

} // namespace

QString withoutOneLetterWords(const QString &text)
{
    if (text.count(QLatin1Char('"')) % 2)
        return text; // inside an open quote: leave it to the parser
    // Only bare words: a one-letter word inside a phrase ("KIVI: A Tuning-Free") is part of
    // what the user looks for, and dropping it changes the phrase into one no title holds.
    static const QRegularExpression lone(QStringLiteral("(^|\\s)[A-Za-z0-9]\\*?(?=\\s|$)"));
    QString out;
    int copied = 0;
    for (const auto &[begin, end] : unquotedSpans(text)) {
        out += text.mid(copied, begin - copied);
        // Each span is matched alone, so its ends count as word boundaries; put back the
        // space that separated it from a neighbouring phrase.
        QString span = text.mid(begin, end - begin);
        const bool lead = span.startsWith(QLatin1Char(' ')), trail = span.endsWith(QLatin1Char(' '));
        span.replace(lone, QStringLiteral("\\1"));
        span = span.simplified();
        if (lead && begin > 0 && !span.isEmpty())
            span.prepend(QLatin1Char(' '));
        if (trail && end < text.size())
            span.append(QLatin1Char(' '));
        out += span;
        copied = end;
    }
    out += text.mid(copied);
    out = out.trimmed();
    // "pruning OR s" becomes "pruning OR": drop the operator left dangling at the end.
    static const QRegularExpression dangling(QStringLiteral("\\s+(OR|AND|NOT)$"));
    if (out != text)
        out.remove(dangling);
    // "a OR b" must not become "OR": keep the text when dropping words breaks it.
    if (out != text && !parseSearchQuery(out).error.isEmpty())
        return text;
    return out;
}

bool SearchQuery::isEmpty() const
{
    return fts.isEmpty() && authors.isEmpty() && venues.isEmpty() && topics.isEmpty() && tags.isEmpty() &&
           institutions.isEmpty() && yearFrom == 0 && yearTo == 0 && !status;
}

QueryParse parseSearchQuery(const QString &text)
{
    QueryParse out;
    QStringList ftsParts;
    static const QRegularExpression field(QStringLiteral(R"(^([A-Za-z]+):(.*)$)"));
    for (const QString &token : tokenize(text, out.error)) {
        const auto m = field.match(token);
        const QString name = m.hasMatch() ? m.captured(1).toLower() : QString();
        const QString value = m.hasMatch() ? unquote(m.captured(2)) : QString();
        // A name that is no field ("KIVI:" in a pasted title "KIVI: A Tuning-Free…") is text.
        static const QStringList columns = {"title", "abbr", "authors", "institutions", "venue", "topics", "note"};
        if (m.hasMatch() && !token.startsWith(QLatin1Char('"')) && !isFieldName(name) && !columns.contains(name)) {
            ftsParts.append(ftsTerm(token));
            continue;
        }
        if (m.hasMatch() && value.isEmpty() && name != u"near") {
            out.error = QStringLiteral("%1: needs a value").arg(name);
            continue;
        }
        if (name == u"author") {
            out.query.authors.append(value);
        } else if (name == u"venue") {
            const Venue v = normalizeVenue(value);
            out.query.venues.append(v.name.isEmpty() ? value : v.name);
            if (v.year && !out.query.yearFrom)
                out.query.yearFrom = out.query.yearTo = v.year;
        } else if (name == u"topic" || name == u"keyword") {
            out.query.topics.append(topicKey(value));
        } else if (name == u"tag") {
            out.query.tags.append(value);
        } else if (name == u"institution" || name == u"inst") {
            out.query.institutions.append(value);
        } else if (name == u"status") {
            const auto s = readingStatusFromName(value);
            if (!s)
                out.error = QStringLiteral("status: '%1' is not one of unread, reading, read").arg(value);
            else
                out.query.status = int(*s);
        } else if (name == u"year") {
            static const QRegularExpression range(QStringLiteral(R"(^(\d{4})?(?:\.\.(\d{4})?)?$)"));
            const auto r = range.match(value);
            if (!r.hasMatch() || (r.captured(1).isEmpty() && r.captured(2).isEmpty())) {
                out.error = QStringLiteral("year: '%1' is not a year or a range like 2024..2025").arg(value);
                continue;
            }
            const bool isRange = value.contains(QLatin1String(".."));
            out.query.yearFrom = r.captured(1).isEmpty() ? 0 : r.captured(1).toInt();
            out.query.yearTo = isRange ? (r.captured(2).isEmpty() ? 0 : r.captured(2).toInt()) : out.query.yearFrom;
            if (out.query.yearTo && out.query.yearFrom > out.query.yearTo)
                out.error = QStringLiteral("year: range %1 runs backwards").arg(value);
        } else if (m.hasMatch() && !token.startsWith(QLatin1Char('"'))) {
            // FTS5 column filters ("title:flash") pass through.
            ftsParts.append(name + QLatin1Char(':') + ftsTerm(m.captured(2)));
        } else {
            ftsParts.append(ftsTerm(token));
        }
    }
    // Operators at the ends ("flash AND") are a syntax error in FTS5; say so before SQLite does.
    if (!ftsParts.isEmpty() && (isFtsOperator(ftsParts.first()) || isFtsOperator(ftsParts.last())))
        out.error = QStringLiteral("'%1' needs a term on both sides")
                        .arg(isFtsOperator(ftsParts.last()) ? ftsParts.last() : ftsParts.first());
    out.query.fts = ftsParts.join(QLatin1Char(' '));
    return out;
}

} // namespace paperlab
