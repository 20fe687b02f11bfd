#include "htmlrewrite.h"

#include "linksafety.h"

#include <QHash>

namespace paperlab {

QString htmlAttribute(const QString &attrs, const QString &name)
{
    // The seeds write <img src="..." width=400>: unquoted values too.
    const QRegularExpression re(QStringLiteral("\\b%1\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))").arg(name),
                                QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(attrs);
    if (!m.hasMatch())
        return {};
    for (int i = 1; i <= 3; ++i)
        if (m.capturedStart(i) >= 0)
            return m.captured(i);
    return {};
}

QString decodedAttribute(const QString &value)
{
    static const QRegularExpression ref(
        QStringLiteral("&(#[0-9]+|#[xX][0-9a-fA-F]+|amp|lt|gt|quot|apos|colon|tab|newline);?"));
    static const QHash<QString, QString> named{
        {QStringLiteral("amp"), QStringLiteral("&")},  {QStringLiteral("lt"), QStringLiteral("<")},
        {QStringLiteral("gt"), QStringLiteral(">")},   {QStringLiteral("quot"), QStringLiteral("\"")},
        {QStringLiteral("apos"), QStringLiteral("'")}, {QStringLiteral("colon"), QStringLiteral(":")},
        {QStringLiteral("tab"), QStringLiteral("\t")}, {QStringLiteral("newline"), QStringLiteral("\n")}};
    return replacedMatches(value, ref, [](const QRegularExpressionMatch &m) {
        const QString name = m.captured(1);
        if (!name.startsWith(QLatin1Char('#')))
            return named.value(name);
        const bool hex = name.size() > 1 && (name[1] == QLatin1Char('x') || name[1] == QLatin1Char('X'));
        bool ok = false;
        const char32_t code = name.mid(hex ? 2 : 1).toUInt(&ok, hex ? 16 : 10);
        return ok && code > 0 && code <= 0x10FFFF ? QString::fromUcs4(&code, 1) : QString();
    });
}

QString inertLinks(const QString &html, const QString &baseDir, const QString &libraryRoot)
{
    static const QRegularExpression anchor(QStringLiteral("<a\\b([^>]*)>"), QRegularExpression::CaseInsensitiveOption);
    return replacedMatches(html, anchor, [&](const QRegularExpressionMatch &m) {
        const QString href = decodedAttribute(htmlAttribute(m.captured(1), QStringLiteral("href")));
        const bool open = libraryRoot.isEmpty() ? isOpenableLink(href) : isOpenableLink(href, baseDir, libraryRoot);
        return open ? QStringLiteral("<a href=\"%1\">").arg(href.toHtmlEscaped()) : QStringLiteral("<a>");
    });
}

} // namespace paperlab
