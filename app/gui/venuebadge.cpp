#include "venuebadge.h"

#include <QColor>
#include <QHash>
#include <QStringList>

#include <iterator>

namespace paperlab::gui {

playground::ColourPair venueBadgeColours(const QString &venue, const QPalette &palette)
{
    // A stable hue per venue so badges are recognisable at a glance; badgeColours then
    // darkens or lightens it for the page (the navy one vanished on the dark page).
    static constexpr QRgb kHues[] = {0x3b6fb6, 0x2e8b57, 0x8e44ad, 0xc0392b, 0xd35400, 0x16a085, 0x7f8c8d, 0x2c3e50};
    const QRgb hue = venue.compare(QLatin1String("arXiv"), Qt::CaseInsensitive) == 0
                         ? QRgb(0xb31b1b)
                         : kHues[qHash(venue.toUpper()) % std::size(kHues)];
    return playground::badgeColours(palette, QColor::fromRgb(hue));
}

} // namespace paperlab::gui
