#include "englishplurals.h"

#include <cstring>

namespace paperlab::gui {

QString englishPlural(const char *sourceText, int n)
{
    QString text = QString::fromUtf8(sourceText);
    return text.replace(QLatin1String("(s)"), n == 1 ? QString() : QStringLiteral("s"));
}

QString EnglishPlurals::translate(const char *, const char *sourceText, const char *, int n) const
{
    if (n < 0 || !sourceText || !std::strstr(sourceText, "(s)"))
        return {};
    return englishPlural(sourceText, n); // Qt puts the count in for %n afterwards
}

} // namespace paperlab::gui
