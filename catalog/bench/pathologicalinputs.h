#pragma once
// Inputs that once made the importers quadratic (issue 10), shared by the parser benchmark
// and the tests that check they are still read correctly. Each is what a user could have:
// a big .bib export, a .bib of broken lines, one enormous Markdown line, a prototxt full
// of keywords the schema does not know.

#include <QString>
#include <QStringList>

namespace paperlab::pathological {

// `n` well-formed entries; entry i (0-based) opens on line 7*i + 1 and is titled "Paper i".
inline QString bibEntries(int n)
{
    QString out;
    out.reserve(qsizetype(n) * 140);
    for (int i = 0; i < n; ++i)
        out += QStringLiteral("@inproceedings{key%1,\n  title = {Paper %1},\n  author = {Doe, Jane and Roe, Rick},\n"
                              "  booktitle = {NeurIPS},\n  year = {2024},\n  url = {https://example.org/%1}\n}\n")
                   .arg(i);
    return out;
}
inline constexpr int kBibLinesPerEntry = 7;

// `n` lines, each an entry that never closes: one error per line, at that line.
inline QString bibErrorLines(int n)
{
    QString out;
    out.reserve(qsizetype(n) * 20);
    for (int i = 0; i < n; ++i)
        out += QStringLiteral("@article{bad%1,\n").arg(i);
    return out;
}

// A checkbox list whose only item is one line of `pairs` nested "[" ... "]" (no link),
// padded past 1 MB, then the real link "[Real title](https://example.org/real)".
inline QString nestedBracketList(int pairs)
{
    QString line = QStringLiteral("- [ ] ");
    line += QString(pairs, QLatin1Char('[')) + QLatin1Char('x') + QString(pairs, QLatin1Char(']'));
    const qsizetype pad = qMax<qsizetype>(0, 1024 * 1024 - line.size());
    line += QLatin1Char(' ') + QString(pad, QLatin1Char('a'));
    line += QStringLiteral(" [Real title](https://example.org/real)");
    return QStringLiteral("## Section\n") + line + QLatin1Char('\n');
}

// A prototxt naming `n` keywords the schema does not know, one per line (keyword i on
// line i + 4).
inline QString prototxtUnknownKeywords(int n)
{
    QString out = QStringLiteral("paper { title: \"Many keywords\" }\npub { where: \"ICML\" year: 2024 }\nkeyword {\n");
    out.reserve(out.size() + qsizetype(n) * 30);
    for (int i = 0; i < n; ++i)
        out += QStringLiteral("  words: unknown_word_%1\n").arg(i);
    return out + QStringLiteral("}\n");
}

// The same in the list form, all on line 4: "words: [unknown_word_0, unknown_word_1, ...]".
inline QString prototxtUnknownKeywordList(int n)
{
    QStringList words;
    for (int i = 0; i < n; ++i)
        words << QStringLiteral("unknown_word_%1").arg(i);
    return QStringLiteral("paper { title: \"Many keywords\" }\npub { where: \"ICML\" year: 2024 }\nkeyword {\n") +
           QStringLiteral("words: [%1]\n}\n").arg(words.join(QStringLiteral(", ")));
}

} // namespace paperlab::pathological
