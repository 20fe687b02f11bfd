#include "textformatfields.h"

#include "lineindex.h"

#include <QMap>

namespace paperlab {
namespace {

bool opensBlock(QChar c)
{
    return c == QLatin1Char('{') || c == QLatin1Char('<');
}
bool closesBlock(QChar c)
{
    return c == QLatin1Char('}') || c == QLatin1Char('>');
}

// Every line of `text` indented by `depth` levels, each line ended by a newline.
QString indented(const QString &text, int depth)
{
    const QString prefix(2 * depth, QLatin1Char(' '));
    QString out;
    for (const QString &line : text.split(QLatin1Char('\n')))
        out += (line.trimmed().isEmpty() ? QString() : prefix + line) + QLatin1Char('\n');
    return out;
}

QString mergeLevel(const QString &printed, const QString &kept, int depth)
{
    const QList<TextField> here = textFormatFields(printed);
    QMap<int, QString> into; // a block of `printed` -> the kept fields that go inside it
    QStringList rest;
    const LineIndex lines(kept);
    for (const TextField &k : textFormatFields(kept)) {
        int target = -1;
        for (int i = 0; k.isBlock() && i < here.size() && target < 0; ++i)
            if (here[i].isBlock() && here[i].name == k.name)
                target = i;
        if (target >= 0)
            into[target] += kept.mid(k.open + 1, k.close - k.open - 1) + QLatin1Char('\n');
        else
            rest.append(dedentField(kept.mid(k.start, k.end - k.start).trimmed(), lines.column(k.start) - 1));
    }
    QString out = printed;
    // Last block first, so the positions of the ones before stay right.
    for (auto it = into.constEnd(); it != into.constBegin();) {
        --it;
        const TextField &f = here[it.key()];
        out.replace(f.open + 1, f.close - f.open - 1,
                    mergeLevel(out.mid(f.open + 1, f.close - f.open - 1), it.value(), depth + 1));
    }
    if (rest.isEmpty())
        return out;
    // Inside a block the text ends with the indentation of its closing brace: the new
    // fields go before it, and it comes back after them.
    qsizetype end = out.size();
    while (end > 0 && (out[end - 1] == QLatin1Char(' ') || out[end - 1] == QLatin1Char('\t')))
        --end;
    out.truncate(end);
    if (!out.isEmpty() && !out.endsWith(QLatin1Char('\n')))
        out += QLatin1Char('\n');
    for (const QString &field : std::as_const(rest))
        out += indented(field, depth);
    if (depth > 0)
        out += QString(2 * (depth - 1), QLatin1Char(' '));
    return out;
}

} // namespace

QList<TextField> textFormatFields(const QString &text)
{
    QList<TextField> out;
    int depth = 0;
    QChar lastSignificant;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('#')) {
            while (i < text.size() && text[i] != QLatin1Char('\n'))
                ++i;
            continue;
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            for (++i; i < text.size() && text[i] != c && text[i] != QLatin1Char('\n'); ++i)
                if (text[i] == QLatin1Char('\\'))
                    ++i;
            lastSignificant = c;
            continue;
        }
        if (c.isSpace())
            continue;
        const bool fieldStart = depth == 0 && lastSignificant != QLatin1Char(':') &&
                                lastSignificant != QLatin1Char('-') &&
                                (c.isLetter() || c == QLatin1Char('_') || c == QLatin1Char('['));
        if (fieldStart) {
            if (!out.isEmpty())
                out.last().end = i;
            qsizetype j = i;
            if (c == QLatin1Char('[')) {
                j = text.indexOf(QLatin1Char(']'), i);
                j = j < 0 ? text.size() : j + 1;
            } else {
                while (j < text.size() && (text[j].isLetterOrNumber() || text[j] == QLatin1Char('_')))
                    ++j;
            }
            out.append({text.mid(i, j - i), i, text.size()});
            i = j - 1;
            lastSignificant = QLatin1Char('a');
            continue;
        }
        if (opensBlock(c) || c == QLatin1Char('[')) {
            if (depth == 0 && opensBlock(c) && !out.isEmpty() && !out.last().isBlock())
                out.last().open = i;
            ++depth;
        } else if ((closesBlock(c) || c == QLatin1Char(']')) && depth > 0) {
            --depth;
            if (depth == 0 && closesBlock(c) && !out.isEmpty() && out.last().isBlock() && out.last().close < 0)
                out.last().close = i;
        }
        // A value that is a word (an enum name, "true") must not look like the next field.
        if (c.isLetterOrNumber() || c == QLatin1Char('_')) {
            while (i + 1 < text.size() && (text[i + 1].isLetterOrNumber() || text[i + 1] == QLatin1Char('_') ||
                                           text[i + 1] == QLatin1Char('.')))
                ++i;
        }
        lastSignificant = c;
    }
    // A block left open at the end of the text has no interior to merge into.
    for (TextField &f : out)
        if (f.isBlock() && f.close < 0)
            f.open = -1;
    return out;
}

QString dedentField(const QString &fieldText, qsizetype column)
{
    QStringList lines = fieldText.split(QLatin1Char('\n'));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        qsizetype n = 0;
        while (n < column && n < lines[i].size() &&
               (lines[i][n] == QLatin1Char(' ') || lines[i][n] == QLatin1Char('\t')))
            ++n;
        lines[i].remove(0, n);
    }
    return lines.join(QLatin1Char('\n'));
}

QString mergeTextFormat(const QString &printed, const QString &kept)
{
    return kept.trimmed().isEmpty() ? printed : mergeLevel(printed, kept, 0);
}

} // namespace paperlab
