#include "seriescolours.h"

#include <iterator>

namespace paperlab::playground {

namespace {

struct BaselineColour {
    const char *variantId;
    QRgb colour;
};

// The colours these baselines have had on the charts since they were added; no variant of
// our own takes them.
constexpr BaselineColour kBaselines[] = {
    {"torch_flash", 0x9467bd},     // purple
    {"torch_cudnn", 0x8c564b},     // brown
    {"torch_efficient", 0xe377c2}, // pink
    {"flashinfer", 0xbcbd22},      // olive
};

// Our variants: the first four as before (flash blue, the next red, green, orange), then
// six more (cyan, indigo, slate, moss, navy, pale green) picked so that all fourteen stay at
// least 72 apart in RGB on a white chart and, lightened as below, on a dark one.
constexpr QRgb kOwn[] = {0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x17becf,
                         0x4b0082, 0x2f4f4f, 0x8ca252, 0x00008b, 0x98df8a};

bool isBaseline(const QString &variantId)
{
    for (const BaselineColour &b : kBaselines)
        if (variantId == QLatin1String(b.variantId))
            return true;
    return false;
}

QColor ownColour(int index)
{
    if (index < int(std::size(kOwn)))
        return QColor::fromRgb(kOwn[index]);
    // Past the table: hues a golden angle apart, never the same twice.
    return QColor::fromHsv(int(index * 137.508) % 360, 200, 190);
}

} // namespace

QColor seriesColour(const QString &variantId, const QStringList &variantOrder, const QColor &background)
{
    QColor c;
    for (const BaselineColour &b : kBaselines)
        if (variantId == QLatin1String(b.variantId))
            c = QColor::fromRgb(b.colour);
    if (!c.isValid()) {
        int index = 0; // among our own variants only, so adding a baseline moves no colour
        for (const QString &id : variantOrder) {
            if (id == variantId)
                break;
            if (!isBaseline(id))
                ++index;
        }
        c = ownColour(index);
    }
    // Navy or plum on a near-black chart would vanish: lighter there, keeping the hue.
    const bool dark = background.lightness() < 128;
    if (dark && c.lightness() < 110)
        c = c.lighter(175);
    return c;
}

} // namespace paperlab::playground
