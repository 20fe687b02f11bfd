#include "linksafety.h"

#include <QDir>
#include <QRegularExpression>

#include <optional>

namespace paperlab {

namespace {

// The URL as a browser reads it (WHATWG URL): C0 controls and spaces stripped around it,
// every tab, CR and LF dropped, before the scheme is looked for.
QString browserView(const QString &url)
{
    QString u;
    u.reserve(url.size());
    for (const QChar c : url)
        if (c != QLatin1Char('\t') && c != QLatin1Char('\n') && c != QLatin1Char('\r'))
            u += c;
    qsizetype from = 0, to = u.size();
    while (from < to && u[from].unicode() <= 0x20)
        ++from;
    while (to > from && u[to - 1].unicode() <= 0x20)
        --to;
    return u.mid(from, to - from);
}

// The scheme in lower case ("" for a relative URL).
QString schemeOf(const QString &u)
{
    static const QRegularExpression scheme(QStringLiteral("^([A-Za-z][A-Za-z0-9+.\\-]*):"));
    const auto m = scheme.match(u);
    return m.hasMatch() ? m.captured(1).toLower() : QString();
}

// Whether the URL is web (true), another scheme or an absolute path (false), or a relative
// path, given in `path` without its query or fragment (nullopt).
std::optional<bool> judgedByScheme(const QString &url, QString *path)
{
    QString u = browserView(url);
    if (u.isEmpty())
        return false;
    if (const QString s = schemeOf(u); !s.isEmpty())
        return s == u"http" || s == u"https";
    u.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (u.startsWith(QLatin1Char('/')))
        return false; // "/etc/passwd", "//host/share"
    static const QRegularExpression queryOrFragment(QStringLiteral("[?#]"));
    *path = u.section(queryOrFragment, 0, 0);
    return std::nullopt;
}

} // namespace

bool isWebLink(const QString &url)
{
    const QString s = schemeOf(browserView(url));
    return s == u"http" || s == u"https";
}

bool isOpenableLink(const QString &url)
{
    QString path;
    if (const auto verdict = judgedByScheme(url, &path))
        return *verdict;
    // Relative: a path below the current folder ("#anchor" and "?q" have none).
    const QString clean = QDir::cleanPath(path);
    return path.isEmpty() || (clean != u".." && !clean.startsWith(QLatin1String("../")));
}

bool isOpenableLink(const QString &url, const QString &baseDir, const QString &root)
{
    QString path;
    if (const auto verdict = judgedByScheme(url, &path))
        return *verdict;
    if (path.isEmpty())
        return true;
    const QString target = QDir::cleanPath(QDir(baseDir).absoluteFilePath(path));
    const QString top = QDir::cleanPath(QDir(root).absolutePath());
    return target == top || target.startsWith(top + QLatin1Char('/'));
}

} // namespace paperlab
