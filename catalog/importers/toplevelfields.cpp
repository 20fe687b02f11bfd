#include "toplevelfields.h"

namespace paperlab {

QList<TopField> topLevelFields(const QString &text)
{
    QList<TopField> out;
    int depth = 0;
    QChar lastSignificant;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('#')) {
            while (i < text.size() && text[i] != QLatin1Char('\n')) ++i;
            continue;
        }
        if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            for (++i; i < text.size() && text[i] != c && text[i] != QLatin1Char('\n'); ++i)
                if (text[i] == QLatin1Char('\\')) ++i;
            lastSignificant = c;
            continue;
        }
        if (c.isSpace()) continue;
        const bool fieldStart = depth == 0 && lastSignificant != QLatin1Char(':') && lastSignificant != QLatin1Char('-')
            && (c.isLetter() || c == QLatin1Char('_') || c == QLatin1Char('['));
        if (fieldStart) {
            if (!out.isEmpty()) out.last().end = i;
            qsizetype j = i;
            if (c == QLatin1Char('[')) {
                j = text.indexOf(QLatin1Char(']'), i);
                j = j < 0 ? text.size() : j + 1;
            } else {
                while (j < text.size() && (text[j].isLetterOrNumber() || text[j] == QLatin1Char('_'))) ++j;
            }
            out.append({text.mid(i, j - i), i, text.size()});
            i = j - 1;
            lastSignificant = QLatin1Char('a');
            continue;
        }
        if (c == QLatin1Char('{') || c == QLatin1Char('<') || c == QLatin1Char('[')) ++depth;
        else if ((c == QLatin1Char('}') || c == QLatin1Char('>') || c == QLatin1Char(']')) && depth > 0) --depth;
        // A value that is a word (an enum name, "true") must not look like the next field.
        if (c.isLetterOrNumber() || c == QLatin1Char('_')) {
            while (i + 1 < text.size() && (text[i + 1].isLetterOrNumber() || text[i + 1] == QLatin1Char('_')
                                           || text[i + 1] == QLatin1Char('.')))
                ++i;
        }
        lastSignificant = c;
    }
    return out;
}

} // namespace paperlab
