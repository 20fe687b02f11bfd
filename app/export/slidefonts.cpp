#include "slidefonts.h"

#include <QFontDatabase>
#include <QStringList>

namespace paperlab {

QString slideFontFamily()
{
    static const QString family = [] {
        const QStringList installed = QFontDatabase::families();
        const QStringList preferred{QStringLiteral("Noto Sans CJK SC"),    QStringLiteral("Noto Sans SC"),
                                    QStringLiteral("Source Han Sans SC"),  QStringLiteral("Source Han Sans CN"),
                                    QStringLiteral("WenQuanYi Micro Hei"), QStringLiteral("Microsoft YaHei"),
                                    QStringLiteral("PingFang SC"),         QStringLiteral("Noto Sans CJK JP")};
        for (const QString &f : preferred)
            if (installed.contains(f, Qt::CaseInsensitive))
                return f;
        // Any family that claims Simplified Chinese beats a Latin-only one.
        const QStringList chinese = QFontDatabase::families(QFontDatabase::SimplifiedChinese);
        if (!chinese.isEmpty())
            return chinese.first();
        return QFontDatabase::systemFont(QFontDatabase::GeneralFont).family();
    }();
    return family;
}

QFont slideFont(int pixelSize, bool bold)
{
    QFont f(slideFontFamily());
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    // Hinting snaps glyphs to the measuring device's pixels; off, the PDF and the layout agree.
    f.setHintingPreference(QFont::PreferNoHinting);
    // Without shaping, Qt writes a ToUnicode entry for every glyph: with it, ligatures ("ffi")
    // and Noto CJK's shaped digits come out of the PDF as unsearchable, uncopyable text.
    f.setStyleStrategy(QFont::PreferNoShaping);
    return f;
}

} // namespace paperlab
