#include "claimjson.h"

#include <QJsonObject>

namespace paperlab {
namespace {

// One table for both directions, so a field added to Claim is added once.
struct TextField {
    const char *name;
    QString Claim::*member;
};
const TextField kTextFields[] = {
    {"metric", &Claim::metric},
    {"baseline", &Claim::baseline},
    {"unit", &Claim::unit},
    {"setting", &Claim::setting},
    {"hardware", &Claim::hardware},
    {"quote", &Claim::quote},
    {"location", &Claim::location},
    {"kernel", &Claim::kernel},
    {"variant", &Claim::variant},
    {"baseline_variant", &Claim::baselineVariant},
    {"sweep_param", &Claim::sweepParam},
    {"baseline_kernel", &Claim::baselineKernel},
};
struct NumberField {
    const char *name;
    double Claim::*member;
};
const NumberField kNumberFields[] = {{"value", &Claim::value}, {"value_max", &Claim::valueMax}, {"at", &Claim::at}};

} // namespace

QJsonArray claimsToJson(const QList<Claim> &claims)
{
    QJsonArray out;
    for (const Claim &c : claims) {
        QJsonObject o;
        for (const TextField &f : kTextFields)
            if (!(c.*f.member).isEmpty())
                o.insert(QLatin1String(f.name), c.*f.member);
        for (const NumberField &f : kNumberFields)
            if (c.*f.member != 0)
                o.insert(QLatin1String(f.name), c.*f.member);
        if (!c.params.isEmpty())
            o.insert(QLatin1String("params"), QJsonArray::fromStringList(c.params));
        out.append(o);
    }
    return out;
}

QList<Claim> claimsFromJson(const QJsonArray &array)
{
    QList<Claim> out;
    for (const auto &v : array) {
        const QJsonObject o = v.toObject();
        Claim c;
        for (const TextField &f : kTextFields)
            c.*f.member = o.value(QLatin1String(f.name)).toString();
        for (const NumberField &f : kNumberFields)
            c.*f.member = o.value(QLatin1String(f.name)).toDouble();
        for (const auto &p : o.value(QLatin1String("params")).toArray())
            c.params.append(p.toString());
        out.append(c);
    }
    return out;
}

} // namespace paperlab
