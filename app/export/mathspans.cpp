#include "mathspans.h"

#include <QRegularExpression>

namespace paperlab {
namespace {

// Letters and digits only: cmark passes them through untouched wherever they stand.
QString token(qsizetype index)
{
    return QStringLiteral("PLMATH%1Z").arg(index);
}

qsizetype runLength(const QString &s, qsizetype at, QChar c)
{
    qsizetype n = 0;
    while (at + n < s.size() && s[at + n] == c)
        ++n;
    return n;
}

// A fence line opens or closes a fenced code block: up to three spaces, then ``` or ~~~.
bool fenceAt(const QString &s, qsizetype lineStart, QChar *fenceChar, qsizetype *fenceLen)
{
    qsizetype i = lineStart;
    while (i < s.size() && i - lineStart < 3 && s[i] == QLatin1Char(' '))
        ++i;
    if (i >= s.size() || (s[i] != QLatin1Char('`') && s[i] != QLatin1Char('~')))
        return false;
    const qsizetype n = runLength(s, i, s[i]);
    if (n < 3)
        return false;
    *fenceChar = s[i];
    *fenceLen = n;
    return true;
}

// Where the inline math opened at `open` ("$x$") closes, or -1. Pandoc's rule: the opening
// "$" is followed by a non-space, the closing one preceded by a non-space and not followed
// by a digit ("costs $5 and $6" is no math), and the span does not cross a blank line.
qsizetype inlineClose(const QString &s, qsizetype open)
{
    if (open + 1 >= s.size() || s[open + 1].isSpace())
        return -1;
    for (qsizetype i = open + 1; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c == QLatin1Char('\\')) {
            ++i;
            continue;
        }
        if (c == QLatin1Char('\n') && i + 1 < s.size() &&
            s.mid(i + 1).section(QLatin1Char('\n'), 0, 0).trimmed().isEmpty())
            return -1;
        if (c != QLatin1Char('$'))
            continue;
        if (s[i - 1].isSpace())
            return -1;
        if (i + 1 < s.size() && s[i + 1].isDigit())
            return -1;
        return i;
    }
    return -1;
}

} // namespace

ProtectedMarkdown protectMath(const QString &markdown)
{
    ProtectedMarkdown out;
    const QString &s = markdown;
    out.text.reserve(s.size());
    bool inFence = false;
    QChar fenceChar;
    qsizetype fenceLen = 0;
    for (qsizetype i = 0; i < s.size();) {
        const bool lineStart = i == 0 || s[i - 1] == QLatin1Char('\n');
        if (lineStart) {
            QChar c;
            qsizetype n = 0;
            if (fenceAt(s, i, &c, &n)) {
                if (!inFence) {
                    inFence = true;
                    fenceChar = c;
                    fenceLen = n;
                } else if (c == fenceChar && n >= fenceLen)
                    inFence = false;
            }
            if (inFence || fenceAt(s, i, &c, &n)) { // the whole line is code (or a fence)
                const qsizetype end = s.indexOf(QLatin1Char('\n'), i);
                const qsizetype stop = end < 0 ? s.size() : end + 1;
                out.text += QStringView(s).mid(i, stop - i);
                i = stop;
                continue;
            }
        }
        const QChar c = s[i];
        if (c == QLatin1Char('\\') && i + 1 < s.size()) { // "\$" stays a dollar sign for cmark
            out.text += QStringView(s).mid(i, 2);
            i += 2;
            continue;
        }
        if (c == QLatin1Char('`')) { // a code span: copied as written, up to the same run of backticks
            const qsizetype n = runLength(s, i, c);
            qsizetype j = i + n;
            qsizetype close = -1;
            while ((j = s.indexOf(QString(n, c), j)) >= 0) {
                if (runLength(s, j, c) == n) {
                    close = j;
                    break;
                }
                j += runLength(s, j, c);
            }
            const qsizetype stop = close < 0 ? i + n : close + n;
            out.text += QStringView(s).mid(i, stop - i);
            i = stop;
            continue;
        }
        if (c == QLatin1Char('$')) {
            if (i + 1 < s.size() && s[i + 1] == QLatin1Char('$')) {
                const qsizetype close = s.indexOf(QLatin1String("$$"), i + 2);
                if (close > i + 2) {
                    out.spans.append({s.mid(i + 2, close - i - 2).trimmed(), true});
                    out.text += token(out.spans.size() - 1);
                    i = close + 2;
                    continue;
                }
                out.text += QLatin1String("$$");
                i += 2;
                continue;
            }
            if (const qsizetype close = inlineClose(s, i); close > i + 1) {
                out.spans.append({s.mid(i + 1, close - i - 1), false});
                out.text += token(out.spans.size() - 1);
                i = close + 1;
                continue;
            }
        }
        out.text += c;
        ++i;
    }
    return out;
}

QString restoreMath(const QString &html, const QList<MathSpan> &spans)
{
    if (spans.isEmpty())
        return html;
    static const QRegularExpression tokens(QStringLiteral("PLMATH(\\d+)Z"));
    QString out;
    out.reserve(html.size());
    qsizetype last = 0;
    for (auto it = tokens.globalMatch(html); it.hasNext();) {
        const auto m = it.next();
        const qsizetype n = m.captured(1).toLongLong();
        out += QStringView(html).mid(last, m.capturedStart() - last);
        if (n >= 0 && n < spans.size())
            out += QStringLiteral("<span class=\"%1\">%2</span>")
                       .arg(spans[n].display ? QStringLiteral("math display") : QStringLiteral("math"),
                            spans[n].tex.toHtmlEscaped());
        else
            out += m.captured();
        last = m.capturedEnd();
    }
    out += QStringView(html).mid(last);
    return out;
}

} // namespace paperlab
