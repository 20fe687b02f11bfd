#include "linksafety.h"

#include <QDir>
#include <QRegularExpression>

namespace paperlab {

namespace {

// The URL as a browser reads it (WHATWG URL): C0 controls and spaces stripped around it,
// every tab, CR and LF dropped, before the scheme is looked for.
QString browserView(const QString &url)
{
    QString u;
    u.reserve(url.size());
    for (const QChar c : url)
        if (c != QLatin1Char('\t') && c != QLatin1Char('\n') && c != QLatin1Char('\r')) u += c;
    qsizetype from = 0, to = u.size();
    while (from < to && u[from].unicode() <= 0x20) ++from;
    while (to > from && u[to - 1].unicode() <= 0x20) --to;
    return u.mid(from, to - from);
}

// The scheme in lower case ("" for a relative URL).
QString schemeOf(const QString &u)
{
    static const QRegularExpression scheme(QStringLiteral("^([A-Za-z][A-Za-z0-9+.\\-]*):"));
    const auto m = scheme.match(u);
    return m.hasMatch() ? m.captured(1).toLower() : QString();
}

} // namespace

bool isWebLink(const QString &url)
{
    const QString s = schemeOf(browserView(url));
    return s == u"http" || s == u"https";
}

bool isOpenableLink(const QString &url)
{
    QString u = browserView(url);
    if (u.isEmpty()) return false;
    if (const QString s = schemeOf(u); !s.isEmpty())
        return s == u"http" || s == u"https";
    // Relative: a path below the current folder (and its query or fragment).
    u.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (u.startsWith(QLatin1Char('/'))) return false;   // "/etc/passwd", "//host/share"
    static const QRegularExpression queryOrFragment(QStringLiteral("[?#]"));
    const QString path = u.section(queryOrFragment, 0, 0);
    if (path.isEmpty()) return true;                      // "#anchor", "?q"
    const QString clean = QDir::cleanPath(path);
    return clean != u".." && !clean.startsWith(QLatin1String("../"));
}

} // namespace paperlab
