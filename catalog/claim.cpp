#include "claim.h"

namespace paperlab {

const QStringList &claimMetrics()
{
    static const QStringList metrics = {QStringLiteral("speedup"), QStringLiteral("throughput"),
                                        QStringLiteral("memory"), QStringLiteral("accuracy")};
    return metrics;
}

namespace {

// 2.1 -> "2.1", 2 -> "2", 740 -> "740": no trailing zeros, no exponent.
QString number(double v)
{
    return QString::number(v, 'g', 6);
}

} // namespace

QString claimValueText(const Claim &c)
{
    if (c.valueMax > c.value)
        return QStringLiteral("%1-%2").arg(number(c.value), number(c.valueMax));
    return number(c.value);
}

bool parseClaimValue(const QString &text, Claim &c)
{
    // A range is written "1.5-2.0" (or with an en dash); a plain number is one figure.
    QString t = text.trimmed();
    t.replace(QChar(0x2013), QLatin1Char('-'));
    const qsizetype dash = t.indexOf(QLatin1Char('-'), 1);
    bool ok = false, okMax = true;
    const double low = (dash > 0 ? t.left(dash) : t).trimmed().toDouble(&ok);
    const double high = dash > 0 ? t.mid(dash + 1).trimmed().toDouble(&okMax) : 0;
    if (!ok || !okMax || (dash > 0 && high < low))
        return false;
    c.value = low;
    c.valueMax = high;
    return true;
}

QString claimFigure(const Claim &c)
{
    QString figure =
        c.valueMax > c.value ? QStringLiteral("%1–%2").arg(number(c.value), number(c.valueMax)) : number(c.value);
    // "×" and "%" sit against the number; a word unit takes a space.
    if (c.unit.isEmpty() || c.unit == u"×" || c.unit == u"%")
        return figure + c.unit;
    return figure + QLatin1Char(' ') + c.unit;
}

QString claimSummary(const Claim &c)
{
    QString s = QStringLiteral("claims %1").arg(claimFigure(c));
    if (c.metric == u"throughput" && c.baseline.isEmpty())
        s += QStringLiteral(" throughput");
    else if (c.metric == u"memory")
        s += QStringLiteral(" less memory");
    if (!c.baseline.isEmpty())
        s += (c.metric == u"memory" ? QStringLiteral(" than ") : QStringLiteral(" over ")) + c.baseline;
    if (!c.hardware.isEmpty())
        s += QStringLiteral(" on ") + c.hardware;
    return s;
}

QStringList claimProblems(const Claim &c)
{
    QStringList out;
    if (!claimMetrics().contains(c.metric))
        out << QStringLiteral("metric '%1' is not one of %2").arg(c.metric, claimMetrics().join(QStringLiteral(", ")));
    if (!(c.value > 0))
        out << QStringLiteral("no value (a positive number)");
    if (c.valueMax != 0 && c.valueMax < c.value)
        out << QStringLiteral("value_max %1 is below value %2").arg(number(c.valueMax), number(c.value));
    if (c.quote.trimmed().isEmpty())
        out << QStringLiteral("no quote: the sentence the figure comes from");
    if (!c.kernel.isEmpty() && c.variant.isEmpty())
        out << QStringLiteral("kernel '%1' named without the variant that stands for the paper's method").arg(c.kernel);
    if (!c.kernel.isEmpty() && c.metric == u"speedup" && c.baselineVariant.isEmpty())
        out << QStringLiteral("a speedup is measured against a baseline_variant, and none is named");
    for (const QString &p : c.params) {
        QString name, value;
        if (!splitClaimParam(p, name, value))
            out << QStringLiteral("params entry '%1' is not NAME=VALUE").arg(p);
    }
    return out;
}

bool splitClaimParam(const QString &text, QString &name, QString &value)
{
    const qsizetype eq = text.indexOf(QLatin1Char('='));
    if (eq <= 0)
        return false;
    name = text.left(eq).trimmed();
    value = text.mid(eq + 1).trimmed();
    return !name.isEmpty();
}

} // namespace paperlab
