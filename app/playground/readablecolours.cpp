#include "readablecolours.h"

#include <QPalette>

#include <algorithm>
#include <cmath>

namespace paperlab::playground {
namespace {

double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &c)
{
    const QColor rgb = c.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor mixed(const QColor &base, const QColor &tone, double amount)
{
    const QColor a = base.toRgb(), b = tone.toRgb();
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * amount),
                            float(a.greenF() + (b.greenF() - a.greenF()) * amount),
                            float(a.blueF() + (b.blueF() - a.blueF()) * amount));
}

} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

ColourPair noticeColours(const QPalette &palette, const QColor &tone)
{
    const QColor window = palette.color(QPalette::Window);
    ColourPair c{mixed(window, tone, isDark(palette) ? 0.22 : 0.3), palette.color(QPalette::WindowText)};
    // A palette whose text is already close to its window: the text moves away from the tint.
    for (int i = 0; i < 20 && contrastRatio(c.text, c.background) < 4.5; ++i)
        c.text = mixed(c.text, isDark(palette) ? Qt::white : Qt::black, 0.3);
    return c;
}

ColourPair badgeColours(const QPalette &palette, const QColor &hue)
{
    const QColor window = palette.color(QPalette::Window);
    const bool dark = isDark(palette);
    ColourPair c{hue, dark ? QColor(0x1a, 0x1b, 0x1e) : QColor(Qt::white)};
    // Each step moves the badge a tenth of the way to white (dark page) or black (light
    // page): it ends at a colour meeting both ratios long before it reaches either.
    for (int i = 0; i < 40 && (contrastRatio(c.text, c.background) < 4.5 || contrastRatio(c.background, window) < 3);
         ++i)
        c.background = mixed(c.background, dark ? Qt::white : Qt::black, 0.1);
    return c;
}

} // namespace paperlab::playground
