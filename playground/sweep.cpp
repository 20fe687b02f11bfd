#include "sweep.h"

#include <QRegularExpression>

#include <cmath>

namespace paperlab::playground {

namespace {

QString numberText(double v, bool integer)
{
    if (integer)
        return QString::number(qint64(std::llround(v)));
    return QString::number(v, 'g', 12);
}

} // namespace

bool looksGeometric(const QList<double> &xs)
{
    if (xs.size() < 3)
        return false;
    for (double x : xs)
        if (x <= 0)
            return false;
    const double ratio = xs[1] / xs[0];
    if (ratio < 1.5 && ratio > 1 / 1.5)
        return false; // small ratios read better on a linear axis
    for (int i = 2; i < xs.size(); ++i)
        if (std::abs(std::log(xs[i] / xs[i - 1]) - std::log(ratio)) > 0.1)
            return false;
    return true;
}

SweepValues sweepValues(const SweepSpec &spec, bool integer)
{
    SweepValues out;
    QList<double> xs;
    if (spec.mode == SweepSpec::Mode::List) {
        const QStringList items = spec.list.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
        for (const QString &item : items) {
            bool ok = false;
            const double v = item.toDouble(&ok);
            if (!ok) {
                // Choice parameters sweep over names; keep them as typed.
                out.values << item;
                continue;
            }
            xs << v;
            out.values << numberText(v, integer);
        }
        if (out.values.isEmpty())
            out.error = QStringLiteral("the sweep list is empty");
        out.values.removeDuplicates();
        out.geometric = looksGeometric(xs);
        return out;
    }
    if (spec.steps < 2) {
        out.error = QStringLiteral("a range needs at least 2 steps");
        return out;
    }
    const bool log = spec.mode == SweepSpec::Mode::Log;
    if (log && (spec.from <= 0 || spec.to <= 0)) {
        out.error = QStringLiteral("log steps need a range above zero");
        return out;
    }
    for (int i = 0; i < spec.steps; ++i) {
        const double t = double(i) / (spec.steps - 1);
        const double v = log ? spec.from * std::pow(spec.to / spec.from, t) : spec.from + (spec.to - spec.from) * t;
        out.values << numberText(v, integer);
    }
    out.values.removeDuplicates();
    out.geometric = log;
    return out;
}

} // namespace paperlab::playground
