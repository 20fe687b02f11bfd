// The BibTeX reader: a hand-written scanner over the whole text, since values nest braces
// across lines and '#' concatenates parts. @string macros are expanded, @comment and
// @preamble skipped; an entry that does not close is reported at the line it opened and
// reading resumes at the next '@' that starts a line.

#include "bibteximporter.h"

#include "lineindex.h"
#include "markdownlines.h"
#include "textnormalize.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <vector>

namespace paperlab {
namespace {

const QString kFormat = QStringLiteral("bibtex");

struct ParseError {
    qsizetype pos;
    QString message;
};

// Where each brace and quote of the text closes, found in one pass over it. Looking them up
// instead of scanning forward from each one keeps a file of unclosed values linear: every
// broken entry used to scan to the end of the text before its error was reported.
// The pass stops early once `cancel` is set (the scanner then reads nothing).
class Delimiters {
public:
    Delimiters(QStringView text, const std::atomic_bool *cancel)
    {
        std::vector<size_t> open;                  // braces not closed yet, by ordinal
        QHash<qsizetype, size_t> lastQuoteAtDepth; // a quote closes at the next one of its depth
        qsizetype depth = 0;                       // may go negative: a stray '}' counts too
        const char16_t *chars = text.utf16();
        for (qsizetype i = 0; i < text.size(); ++i) {
            if ((i & 0xffff) == 0 && md::cancelRequested(cancel))
                return;
            const char16_t c = chars[i];
            if (c == u'\\') {
                ++i;
            } else if (c == u'{') {
                open.push_back(m_braces.size());
                m_braces.push_back({i, -1});
                ++depth;
            } else if (c == u'}') {
                --depth;
                if (!open.empty()) {
                    m_braces[open.back()].end = i + 1;
                    open.pop_back();
                }
            } else if (c == u'"') {
                if (const auto it = lastQuoteAtDepth.find(depth); it != lastQuoteAtDepth.end())
                    m_quotes[it.value()].end = i;
                lastQuoteAtDepth.insert(depth, m_quotes.size());
                m_quotes.push_back({i, -1});
            } else if (c == u')') {
                m_parens.push_back(i);
            } else if (c == u'@' && startsLine(text, i)) {
                m_entryStarts.push_back(i);
            }
        }
    }

    // One past the '}' closing the '{' at `open`, or -1.
    qsizetype braceEnd(qsizetype open) const { return endOf(m_braces, open); }
    // Index of the '"' closing the one at `open` (braces between balanced), or -1.
    qsizetype quoteEnd(qsizetype open) const { return endOf(m_quotes, open); }
    // Index of the first ')' at or after `from`, or -1.
    qsizetype parenFrom(qsizetype from) const { return firstFrom(m_parens, from); }
    // Index of the first '@' starting a line (after blanks) at or after `from`, or -1.
    qsizetype entryStartFrom(qsizetype from) const { return firstFrom(m_entryStarts, from); }

    // Only blanks between the line start and `at`.
    static bool startsLine(QStringView text, qsizetype at)
    {
        for (qsizetype i = at - 1; i >= 0 && text[i] != QLatin1Char('\n'); --i)
            if (!text[i].isSpace())
                return false;
        return true;
    }

private:
    struct Span {
        qsizetype start, end;
    };
    static qsizetype endOf(const std::vector<Span> &spans, qsizetype start)
    {
        const auto it = std::lower_bound(spans.begin(), spans.end(), start,
                                         [](const Span &s, qsizetype pos) { return s.start < pos; });
        return it != spans.end() && it->start == start ? it->end : -1;
    }
    static qsizetype firstFrom(const std::vector<qsizetype> &positions, qsizetype from)
    {
        const auto it = std::lower_bound(positions.begin(), positions.end(), from);
        return it == positions.end() ? -1 : *it;
    }
    std::vector<Span> m_braces, m_quotes;
    std::vector<qsizetype> m_parens, m_entryStarts;
};

// Nested @string macros ("a # a" in b, "b # b" in c, ...) double a value per level; past
// this many characters a value is refused rather than filling the memory.
constexpr qsizetype kMaxValueChars = 1 << 20;
// And a big macro used by every entry multiplies the work by the number of entries: all
// expansions of a file together may be this many times its size (plus a megabyte).
constexpr qsizetype kMacroExpansionFactor = 8;

class BibScanner {
public:
    BibScanner(const QString &text, const QString &file, const std::atomic_bool *cancel)
        : m_text(text)
        , m_file(file)
        , m_cancel(cancel)
        , m_lines(text)
        , m_delimiters(text, cancel)
    {
        // Month macros every BibTeX style predefines.
        const char *months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
        for (int i = 0; i < 12; ++i)
            m_macros.insert(QLatin1String(months[i]), QString::number(i + 1));
    }

    ImportBatch run()
    {
        while (true) {
            if (m_cancel && m_cancel->load(std::memory_order_relaxed))
                break;
            const qsizetype at = m_text.indexOf(QLatin1Char('@'), m_pos);
            if (at < 0)
                break;
            m_pos = at + 1;
            try {
                readEntry(at);
            } catch (const ParseError &e) {
                m_batch.error(m_file, lineAt(e.pos), e.message, columnAt(e.pos));
                ++m_batch.skipped; // the entry is not read; counted like every skipped block
                m_pos = nextEntryStart(at + 1);
            }
        }
        return std::move(m_batch);
    }

private:
    int lineAt(qsizetype pos) const { return m_lines.line(pos); }
    int columnAt(qsizetype pos) const { return m_lines.column(pos); }

    // An '@' at the start of a line (after blanks): where recovery resumes.
    qsizetype nextEntryStart(qsizetype from) const
    {
        const qsizetype at = m_delimiters.entryStartFrom(from);
        return at < 0 ? m_text.size() : at;
    }

    bool startsLine(qsizetype at) const { return Delimiters::startsLine(m_text, at); }

    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text[m_pos]; }
    void skipSpace()
    {
        while (!atEnd() && (peek().isSpace() || peek() == QLatin1Char('%'))) {
            if (peek() == QLatin1Char('%')) { // a comment line inside an entry
                while (!atEnd() && peek() != QLatin1Char('\n'))
                    ++m_pos;
            } else {
                ++m_pos;
            }
        }
    }
    QString identifier()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && (peek().isLetterOrNumber() || QStringLiteral("_-:.+/'").contains(peek())))
            ++m_pos;
        return m_text.mid(start, m_pos - start);
    }

    // Index one past the brace that closes the one at `open` (or -1).
    qsizetype closingBrace(qsizetype open) const { return m_delimiters.braceEnd(open); }

    // A value must close before the next entry starts: reading on would swallow that entry
    // (and copying the rest of the file for each broken one made such files quadratic).
    void checkValueEnd(qsizetype start, qsizetype end, const QString &message) const
    {
        const qsizetype next = m_delimiters.entryStartFrom(start);
        if (end < 0)
            throw ParseError{start, message};
        if (next >= 0 && end > next)
            throw ParseError{start, QStringLiteral("%1 before the entry at line %2").arg(message).arg(lineAt(next))};
    }

    void readEntry(qsizetype at)
    {
        const QString type = identifier().toLower();
        skipSpace();
        const QChar open = peek();
        if (open != QLatin1Char('{') && open != QLatin1Char('(')) {
            // BibTeX ignores text between entries; an '@' there ("me@example.org") is no entry
            // unless it starts a line, where it must be one.
            if (type.isEmpty() || !startsLine(at))
                return;
            throw ParseError{m_pos, QStringLiteral("expected '{' after @%1").arg(type)};
        }
        const QChar close = open == QLatin1Char('{') ? QLatin1Char('}') : QLatin1Char(')');
        if (type == u"comment" || type == u"preamble") {
            const qsizetype end = open == QLatin1Char('{') ? closingBrace(m_pos) : m_delimiters.parenFrom(m_pos) + 1;
            m_pos = end > 0 ? end : nextEntryStart(m_pos);
            return;
        }
        ++m_pos;
        if (type == u"string") {
            skipSpace();
            const QString name = identifier().toLower();
            skipSpace();
            expect(QLatin1Char('='), QStringLiteral("expected '=' in @string"));
            m_macros.insert(name, value());
            skipSpace();
            expect(close, QStringLiteral("@string is not closed"));
            return;
        }
        readFields(at, type, close);
    }

    void expect(QChar c, const QString &message)
    {
        if (peek() != c)
            throw ParseError{m_pos, message};
        ++m_pos;
    }

    void readFields(qsizetype at, const QString &type, QChar close)
    {
        skipSpace();
        const QString citeKey = identifier();
        skipSpace();
        if (peek() == QLatin1Char(','))
            ++m_pos;
        QHash<QString, QString> fields;
        while (true) {
            skipSpace();
            if (atEnd())
                throw ParseError{at, QStringLiteral("entry %1 is not closed").arg(citeKey)};
            if (peek() == close) {
                ++m_pos;
                break;
            }
            if (peek() == QLatin1Char('@'))
                throw ParseError{at, QStringLiteral("entry %1 is not closed before the next entry").arg(citeKey)};
            const qsizetype fieldPos = m_pos;
            const QString name = identifier().toLower();
            if (name.isEmpty())
                throw ParseError{fieldPos, QStringLiteral("unexpected '%1' in entry %2").arg(peek()).arg(citeKey)};
            skipSpace();
            if (peek() != QLatin1Char('='))
                throw ParseError{m_pos, QStringLiteral("expected '=' after field %1 in entry %2").arg(name, citeKey)};
            ++m_pos;
            fields.insert(name, value());
            skipSpace();
            if (peek() == QLatin1Char(','))
                ++m_pos;
            else if (peek() == QLatin1Char('@') || atEnd()) // reported where the unclosed entry starts
                throw ParseError{at, QStringLiteral("entry %1 is not closed (a '}' or ',' is missing after field %2)")
                                         .arg(citeKey, name)};
            else if (peek() != close)
                throw ParseError{
                    m_pos, QStringLiteral("expected ',' or the end of entry %1 after field %2").arg(citeKey, name)};
        }
        addRecord(at, type, citeKey, fields);
    }

    // value := part ('#' part)*, part := {...} | "..." | number | macro
    QString value()
    {
        QString out;
        while (true) {
            skipSpace();
            const qsizetype start = m_pos;
            if (peek() == QLatin1Char('{')) {
                const qsizetype end = closingBrace(m_pos);
                checkValueEnd(start, end, QStringLiteral("unbalanced '{' in a field value"));
                out += QStringView(m_text).mid(start + 1, end - start - 2);
                m_pos = end;
            } else if (peek() == QLatin1Char('"')) {
                const qsizetype end = m_delimiters.quoteEnd(m_pos);
                checkValueEnd(start, end, QStringLiteral("unterminated '\"' in a field value"));
                out += QStringView(m_text).mid(start + 1, end - start - 1);
                m_pos = end + 1;
            } else {
                const QString word = identifier();
                if (word.isEmpty())
                    throw ParseError{start, QStringLiteral("expected a field value")};
                bool number = false;
                word.toLongLong(&number);
                if (number)
                    out += word;
                else if (const auto it = m_macros.constFind(word.toLower()); it != m_macros.constEnd()) {
                    m_expanded += it.value().size();
                    if (m_expanded > kMacroExpansionFactor * m_text.size() + kMaxValueChars)
                        throw ParseError{
                            start,
                            QStringLiteral(
                                "@string macros expand to more than %1 times the size of the file; macro %2 refused")
                                .arg(kMacroExpansionFactor)
                                .arg(word)};
                    out += it.value();
                } else {
                    m_batch.warn(m_file, lineAt(start),
                                 QStringLiteral("undefined @string macro %1; taken as text").arg(word),
                                 columnAt(start));
                    out += word;
                }
            }
            if (out.size() > kMaxValueChars)
                throw ParseError{start, QStringLiteral("field value longer than %1 characters (nested @string macros?)")
                                            .arg(kMaxValueChars)};
            skipSpace();
            if (peek() != QLatin1Char('#'))
                return out;
            ++m_pos;
        }
    }

    void addRecord(qsizetype at, const QString &type, const QString &citeKey, const QHash<QString, QString> &f)
    {
        const int line = lineAt(at);
        PaperRecord r;
        r.source = {kFormat, m_file, line};
        r.title = latexToPlain(f.value(QStringLiteral("title")));
        if (r.title.isEmpty()) {
            m_batch.skip(m_file, line, QStringLiteral("@%1{%2} has no title; entry skipped").arg(type, citeKey),
                         Diagnostic::Severity::Error);
            return;
        }
        r.bibtexKey = citeKey;
        r.abbr = latexToPlain(f.value(QStringLiteral("shorttitle")));
        if (r.abbr.isEmpty())
            r.abbr = md::abbrFromTitle(r.title);
        r.authors = splitAuthors(f.value(QStringLiteral("author")));
        bool ok = false;
        const int year = latexToPlain(f.value(QStringLiteral("year"))).left(4).toInt(&ok);
        QString venue = latexToPlain(f.value(QStringLiteral("booktitle")));
        if (venue.isEmpty())
            venue = latexToPlain(f.value(QStringLiteral("journal")));
        // @misc{..., howpublished = {arXiv}} (or "arXiv:2205.14135") is a preprint too.
        if (const QString how = latexToPlain(f.value(QStringLiteral("howpublished")));
            venue.isEmpty() && how.startsWith(QLatin1String("arXiv"), Qt::CaseInsensitive))
            venue = how;
        const QString eprint = latexToPlain(f.value(QStringLiteral("eprint")));
        const QString archive =
            latexToPlain(f.value(QStringLiteral("archiveprefix")) + f.value(QStringLiteral("eprinttype")));
        if (!eprint.isEmpty() && (archive.isEmpty() || archive.contains(QLatin1String("arxiv"), Qt::CaseInsensitive)))
            r.arxivId = arxivIdFrom(QStringLiteral("[%1]").arg(eprint));
        // Google Scholar writes preprints as journal = {arXiv preprint arXiv:2205.14135},
        // DBLP as journal = {CoRR}, volume = {abs/2205.14135}.
        const bool preprint = venue.contains(QLatin1String("arxiv"), Qt::CaseInsensitive) ||
                              venue.compare(QLatin1String("CoRR"), Qt::CaseInsensitive) == 0;
        if (r.arxivId.isEmpty() && preprint) {
            const QString volume = latexToPlain(f.value(QStringLiteral("volume")));
            r.arxivId = arxivIdFrom(QStringLiteral("[%1]").arg(volume.startsWith(QLatin1String("abs/"))
                                                                   ? volume.mid(4)
                                                                   : venue.section(QLatin1Char(':'), -1).trimmed()));
        }
        if (preprint)
            r.venue = QStringLiteral("arXiv");
        if (!venue.isEmpty() && !preprint) {
            md::applyVenue(r, venue);
            // "Advances in Neural Information Processing Systems (NeurIPS)": the acronym names it.
            static const QRegularExpression acronym(QStringLiteral(R"(\(([A-Za-z]+)\))"));
            if (const auto m = acronym.match(venue); m.hasMatch() && isKnownVenueName(m.captured(1))) {
                const int year = r.year;
                md::applyVenue(r, m.captured(1));
                r.venueRaw = venue;
                if (r.year == 0)
                    r.year = year;
            }
            if (r.venue.isEmpty())
                r.venue = venue; // a venue the normalizer does not know keeps its own name
        }
        if (ok && year > 0)
            r.year = year;
        r.doi = doiFrom(latexToPlain(f.value(QStringLiteral("doi"))));
        r.paperUrl = f.value(QStringLiteral("url")).trimmed();
        if (r.paperUrl.isEmpty() && !r.arxivId.isEmpty())
            r.paperUrl = QStringLiteral("https://arxiv.org/abs/") + r.arxivId;
        static const QRegularExpression keywordSeparator(QStringLiteral("[,;]")); // compiled once, not per entry
        for (const QString &k :
             latexToPlain(f.value(QStringLiteral("keywords"))).split(keywordSeparator, Qt::SkipEmptyParts))
            md::appendUnique(r.topics, topicDisplayName(k.trimmed()));
        md::completeRecord(r);
        m_batch.papers.append(r);
    }

    // "Dao, Tri and Fu, Daniel Y." -> {"Tri Dao", "Daniel Y. Fu"}; " and " inside braces stays.
    static QStringList splitAuthors(const QString &value)
    {
        QStringList out;
        QString cur;
        int depth = 0;
        const QString v = value.simplified();
        for (qsizetype i = 0; i < v.size(); ++i) {
            const QChar c = v[i];
            if (c == QLatin1Char('{'))
                ++depth;
            else if (c == QLatin1Char('}'))
                --depth;
            if (depth == 0 && v.mid(i, 5).compare(QLatin1String(" and "), Qt::CaseInsensitive) == 0) {
                out << cur;
                cur.clear();
                i += 4;
                continue;
            }
            cur += c;
        }
        out << cur;
        QStringList names;
        for (const QString &raw : out) {
            QString n = latexToPlain(raw);
            if (n.isEmpty() || n == u"others")
                continue;
            if (const qsizetype comma = n.indexOf(QLatin1Char(',')); comma > 0)
                n = n.mid(comma + 1).trimmed() + QLatin1Char(' ') + n.left(comma).trimmed();
            names << n.trimmed();
        }
        return names;
    }

    QString m_text, m_file;
    const std::atomic_bool *m_cancel;
    LineIndex m_lines;
    Delimiters m_delimiters;
    qsizetype m_pos = 0;
    qsizetype m_expanded = 0; // characters produced by macro expansion so far
    QHash<QString, QString> m_macros;
    ImportBatch m_batch;
};

QChar combining(QChar accent)
{
    switch (accent.unicode()) {
    case '\'':
        return QChar(0x0301);
    case '`':
        return QChar(0x0300);
    case '^':
        return QChar(0x0302);
    case '"':
        return QChar(0x0308);
    case '~':
        return QChar(0x0303);
    case '=':
        return QChar(0x0304);
    case '.':
        return QChar(0x0307);
    case 'c':
        return QChar(0x0327);
    case 'v':
        return QChar(0x030C);
    case 'u':
        return QChar(0x0306);
    case 'H':
        return QChar(0x030B);
    default:
        return QChar();
    }
}

} // namespace

QString latexToPlain(const QString &value)
{
    static const QHash<QString, QString> words{{QStringLiteral("textbackslash"), QStringLiteral("\\")},
                                               {QStringLiteral("textasciitilde"), QStringLiteral("~")},
                                               {QStringLiteral("textasciicircum"), QStringLiteral("^")},
                                               {QStringLiteral("ss"), QStringLiteral("ß")},
                                               {QStringLiteral("o"), QStringLiteral("ø")},
                                               {QStringLiteral("O"), QStringLiteral("Ø")},
                                               {QStringLiteral("aa"), QStringLiteral("å")},
                                               {QStringLiteral("ae"), QStringLiteral("æ")},
                                               {QStringLiteral("l"), QStringLiteral("ł")},
                                               {QStringLiteral("i"), QStringLiteral("ı")},
                                               {QStringLiteral("textendash"), QStringLiteral("–")},
                                               {QStringLiteral("textemdash"), QStringLiteral("—")}};
    QString out;
    const QString v = value;
    for (qsizetype i = 0; i < v.size(); ++i) {
        const QChar c = v[i];
        if (c == QLatin1Char('$')) {
            // Inline math stays LaTeX ("H$_2$O"), as the exporter writes it.
            if (const qsizetype end = inlineMathEnd(v, i); end > i) {
                out += QStringView(v).mid(i, end - i + 1);
                i = end;
                continue;
            }
        }
        if (c == QLatin1Char('{') || c == QLatin1Char('}'))
            continue;
        if (c == QLatin1Char('~')) {
            out += QLatin1Char(' ');
            continue;
        }
        if (c != QLatin1Char('\\') || i + 1 >= v.size()) {
            out += c;
            continue;
        }
        const QChar next = v[i + 1];
        if (QStringLiteral("&%$#_{}").contains(next)) {
            out += next;
            ++i;
            continue;
        }
        if (const QChar mark = combining(next);
            !mark.isNull() && (!next.isLetter() || (i + 2 < v.size() && !v[i + 2].isLetter()) ||
                               (i + 2 < v.size() && v[i + 2] == QLatin1Char('{')))) {
            // \'e, \"{o}, {\"o}, \c{c}: the next letter gets the accent.
            qsizetype j = i + 2;
            while (j < v.size() && (v[j] == QLatin1Char('{') || v[j] == QLatin1Char(' ')))
                ++j;
            if (j < v.size()) {
                out += (QString(v[j]) + mark).normalized(QString::NormalizationForm_C);
                i = j;
                continue;
            }
        }
        if (next.isLetter()) {
            qsizetype j = i + 1;
            while (j < v.size() && v[j].isLetter())
                ++j;
            const QString cmd = v.mid(i + 1, j - i - 1);
            if (const auto it = words.constFind(cmd); it != words.constEnd())
                out += it.value();
            // Unknown commands (\emph, \textbf) vanish; their braced argument stays as text.
            i = j - 1;
            if (j < v.size() && v[j] == QLatin1Char(' '))
                i = j; // the space ending a command name
            continue;
        }
        out += next;
        ++i;
    }
    return simplifiedText(out);
}

ImportBatch parseBibTeX(const QString &text, const QString &file, const std::atomic_bool *cancel)
{
    return BibScanner(text, file, cancel).run();
}

} // namespace paperlab
