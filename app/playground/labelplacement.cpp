#include "labelplacement.h"

#include <QStringList>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace paperlab::playground {

QList<double> separateLabels(const QList<QRectF> &labels, const QRectF &bounds, double gap)
{
    QList<double> offsets;
    QList<QRectF> placed;
    for (const QRectF &label : labels) {
        // A free place, if any, is at the label's own place or just above or below one
        // already placed: those are the only candidates worth trying.
        QList<double> candidates{0};
        for (const QRectF &p : std::as_const(placed)) {
            candidates << p.bottom() + gap - label.top() << p.top() - gap - label.bottom();
        }
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](double a, double b) { return std::abs(a) < std::abs(b); });
        const auto isFree = [&placed](const QRectF &r) {
            return std::none_of(placed.cbegin(), placed.cend(), [&r](const QRectF &p) { return p.intersects(r); });
        };
        const auto inside = [&bounds](const QRectF &r) {
            return r.top() >= bounds.top() && r.bottom() <= bounds.bottom();
        };
        double chosen = std::nan("");
        for (double d : std::as_const(candidates)) {
            const QRectF moved = label.translated(0, d);
            if (isFree(moved) && inside(moved)) {
                chosen = d;
                break;
            }
        }
        if (std::isnan(chosen)) // no free place inside: the nearest one outside
            for (double d : std::as_const(candidates))
                if (isFree(label.translated(0, d))) {
                    chosen = d;
                    break;
                }
        offsets << chosen;
        placed << label.translated(0, chosen);
    }
    return offsets;
}

QString wrapToWidth(const QString &text, const QFont &font, double width)
{
    QStringList lines;
    for (const QString &paragraph : text.split(QLatin1Char('\n'))) {
        QTextLayout layout(paragraph, font);
        layout.beginLayout();
        for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
            line.setLineWidth(width);
            lines << paragraph.mid(line.textStart(), line.textLength()).trimmed();
        }
        layout.endLayout();
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace paperlab::playground
