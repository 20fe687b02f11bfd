#include "citationkeys.h"

#include <QRegularExpression>
#include <QSet>

namespace paperlab {
namespace {

// Letters and digits only, accents dropped ("Týr" -> "tyr"); CJK and other scripts vanish.
QString asciiWord(const QString &s)
{
    QString out;
    for (const QChar c : s.normalized(QString::NormalizationForm_D))
        if (c.unicode() < 128 && c.isLetterOrNumber())
            out += c.toLower();
    return out;
}

QString firstTitleWord(const QString &title)
{
    static const QSet<QString> skip{QStringLiteral("a"),      QStringLiteral("an"),  QStringLiteral("the"),
                                    QStringLiteral("on"),     QStringLiteral("of"),  QStringLiteral("towards"),
                                    QStringLiteral("toward"), QStringLiteral("for"), QStringLiteral("to"),
                                    QStringLiteral("in"),     QStringLiteral("and"), QStringLiteral("is")};
    static const QRegularExpression splitter(QStringLiteral(R"([\s:\-–—/,.!?()]+)"));
    for (const QString &w : title.split(splitter, Qt::SkipEmptyParts)) {
        const QString a = asciiWord(w);
        if (!a.isEmpty() && !skip.contains(a))
            return a;
    }
    return {};
}

} // namespace

PersonName splitPersonName(const QString &raw)
{
    static const QRegularExpression etAl(QStringLiteral(R"(\s*(et\.?\s*al\.?)\s*$)"),
                                         QRegularExpression::CaseInsensitiveOption);
    QString name = raw;
    name.remove(etAl);
    name = name.simplified();
    if (const qsizetype comma = name.indexOf(QLatin1Char(',')); comma > 0)
        return {name.mid(comma + 1).trimmed(), name.left(comma).trimmed()};
    const qsizetype space = name.lastIndexOf(QLatin1Char(' '));
    if (space < 0)
        return {QString(), name};
    return {name.left(space), name.mid(space + 1)};
}

QString CitationKeys::baseKey(const Paper &p)
{
    QString who;
    if (!p.authors.isEmpty())
        who = asciiWord(splitPersonName(p.authors.first()).family);
    if (who.isEmpty())
        who = asciiWord(p.abbr);
    if (who.isEmpty())
        who = asciiWord(p.key);
    if (who.isEmpty())
        who = QStringLiteral("paper");
    const QString year = p.year > 0 ? QString::number(p.year) : QString();
    // Without an author the short name already leads the key; the title word would repeat it.
    QString word = firstTitleWord(p.title);
    if (who.startsWith(word))
        word.clear();
    return who + year + word;
}

CitationKeys::CitationKeys(const QList<Paper> &papers)
{
    QSet<QString> used;
    // A key the paper's BibTeX source gave it is kept: documents already cite it. The
    // first paper claiming one keeps it; the generated keys go around them.
    for (const Paper &p : papers) {
        if (p.bibtexKey.isEmpty() || used.contains(p.bibtexKey))
            continue;
        used.insert(p.bibtexKey);
        m_keys.insert(p.id, p.bibtexKey);
    }
    for (const Paper &p : papers) {
        if (m_keys.contains(p.id))
            continue;
        const QString base = baseKey(p);
        QString key = base;
        for (int n = 1; used.contains(key); ++n) // b, c, ..., z, then numbers
            key = base + (n < 26 ? QString(QChar(u'a' + n)) : QString::number(n));
        used.insert(key);
        m_keys.insert(p.id, key);
    }
}

} // namespace paperlab
