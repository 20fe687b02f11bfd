#pragma once
// Small Markdown helpers shared by the text importers (private to catalog/importers).
// Header-only on purpose: a handful of short functions, no extra translation unit.

#include "../paperrecord.h"
#include "../textnormalize.h"
#include "../venue.h"

#include <QDir>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <atomic>
#include <vector>

namespace paperlab::md {

// Whether a parser's cancel flag (see importers.h) has been set.
inline bool cancelRequested(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// Lines of a document without their terminators; "\r\n" and a leading BOM are tolerated.
inline QStringList splitLines(const QString &text)
{
    QString t = text;
    if (t.startsWith(QChar(0xFEFF)))
        t.remove(0, 1);
    t.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    t.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    QStringList lines = t.split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast(); // the final newline does not start a line
    return lines;
}

// Number of leading spaces (a tab counts as four).
inline int indentOf(const QString &line)
{
    int n = 0;
    for (const QChar c : line) {
        if (c == QLatin1Char(' '))
            ++n;
        else if (c == QLatin1Char('\t'))
            n += 4;
        else
            break;
    }
    return n;
}

// An inline link "[text](url)" or image "![alt](src)". Brackets and parentheses may nest,
// which the seeds need: "[[2205.14135] Title](url)" and "[![stars](badge)](repo)".
struct Link {
    QString text;
    QString url;
    bool image = false;
    qsizetype start = 0; // index of '[' (or '!' for an image)
    qsizetype end = 0;   // one past the closing ')'
};

// Index of the bracket closing each '[' and '(' of `s` (-1 where there is none; other
// entries unused), from one pass with a stack per bracket kind. A backslash escapes the
// character after it. Scanning forward from every '[' instead took minutes on one line
// of 800k nested brackets.
inline std::vector<qsizetype> closingBrackets(QStringView s)
{
    std::vector<qsizetype> close(size_t(s.size()), -1);
    std::vector<qsizetype> squares, parens;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c == QLatin1Char('\\'))
            ++i;
        else if (c == QLatin1Char('['))
            squares.push_back(i);
        else if (c == QLatin1Char('('))
            parens.push_back(i);
        else if (c == QLatin1Char(']') && !squares.empty()) {
            close[size_t(squares.back())] = i;
            squares.pop_back();
        } else if (c == QLatin1Char(')') && !parens.empty()) {
            close[size_t(parens.back())] = i;
            parens.pop_back();
        }
    }
    return close;
}

// Top-level links of `s`, left to right (links inside a link's text are not listed).
// An escaped "\[" starts no link.
inline QList<Link> linksIn(const QString &s)
{
    QList<Link> out;
    if (!s.contains(QLatin1Char('[')))
        return out;
    const std::vector<qsizetype> close = closingBrackets(s);
    for (qsizetype open = 0; open < s.size(); ++open) {
        if (s[open] == QLatin1Char('\\')) {
            ++open;
            continue;
        }
        if (s[open] != QLatin1Char('['))
            continue;
        const qsizetype end = close[size_t(open)];
        if (end < 0)
            break;
        if (end + 1 < s.size() && s[end + 1] == QLatin1Char('(') && close[size_t(end + 1)] > 0) {
            const qsizetype paren = close[size_t(end + 1)];
            Link l;
            l.image = open > 0 && s[open - 1] == QLatin1Char('!');
            l.start = l.image ? open - 1 : open;
            l.end = paren + 1;
            l.text = s.mid(open + 1, end - open - 1).trimmed();
            l.url = s.mid(end + 2, paren - end - 2).trimmed();
            out.append(l);
            open = paren; // the loop steps past the ')'
        }
    }
    return out;
}

// The first image of a line: Markdown "![alt](src)" or HTML <img src="...">.
inline QString firstImageIn(const QString &line)
{
    for (const Link &l : linksIn(line))
        if (l.image)
            return l.url;
    static const QRegularExpression img(QStringLiteral(R"(<img\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+))"),
                                        QRegularExpression::CaseInsensitiveOption);
    const auto m = img.match(line);
    return m.hasMatch() ? m.captured(1) : QString();
}

// "./notes/x.png" against baseDir: absolute when baseDir is known, else cleaned relative.
inline QString resolvedPath(const QString &baseDir, const QString &path)
{
    if (path.isEmpty())
        return {};
    if (baseDir.isEmpty() || QDir::isAbsolutePath(path) || path.contains(QLatin1String("://")))
        return QDir::cleanPath(path);
    return QDir::cleanPath(QDir(baseDir).absoluteFilePath(path));
}

// "APE: Faster and Longer ..." -> "APE". Only a single token before a colon counts,
// so "Speculative Decoding and Beyond: ..." gives no abbreviation.
inline QString abbrFromTitle(const QString &title)
{
    const qsizetype colon = title.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return {};
    const QString head = title.left(colon).trimmed();
    if (head.isEmpty() || head.size() > 24 || head.contains(QLatin1Char(' ')))
        return {};
    return head;
}

// Year of a new-style arXiv id: "2205.14135" -> 2022.
inline int yearFromArxivId(const QString &id)
{
    if (id.size() < 4)
        return 0;
    bool ok = false;
    const int yy = id.left(2).toInt(&ok);
    return ok ? 2000 + yy : 0;
}

inline void appendUnique(QStringList &list, const QString &value)
{
    const QString v = value.trimmed();
    if (!v.isEmpty() && !list.contains(v))
        list.append(v);
}

// Sets venueRaw/venue/year from a venue string as the source wrote it.
inline void applyVenue(PaperRecord &r, const QString &raw)
{
    r.venueRaw = raw.trimmed();
    const Venue v = normalizeVenue(r.venueRaw);
    r.venue = v.name;
    if (v.year > 0)
        r.year = v.year;
}

inline bool isOpenReviewUrl(const QString &url)
{
    return url.contains(QLatin1String("openreview.net"), Qt::CaseInsensitive);
}

// Fields every importer derives the same way once title/urls/venue are known:
// arXiv id and DOI from the paper URL, open-review link, and for an arXiv-only paper
// venue "arXiv" plus the year its id encodes.
inline void completeRecord(PaperRecord &r)
{
    r.title = simplifiedText(r.title);
    if (r.arxivId.isEmpty())
        r.arxivId = arxivIdFrom(r.paperUrl);
    if (r.doi.isEmpty() && !r.paperUrl.isEmpty())
        r.doi = doiFrom(r.paperUrl);
    if (r.openReviewUrl.isEmpty() && isOpenReviewUrl(r.paperUrl))
        r.openReviewUrl = r.paperUrl;
    if (!r.arxivId.isEmpty()) {
        if (r.venue.isEmpty() && r.venueRaw.isEmpty())
            r.venue = QStringLiteral("arXiv");
        if (r.year == 0)
            r.year = yearFromArxivId(r.arxivId);
    }
}

} // namespace paperlab::md
