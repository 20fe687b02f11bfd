#include "claimproto.h"

#include "importers/lineindex.h"
#include "importers/textformatfields.h"
#include "paper.pb.h"
#include "paperrecord.h"

#include <google/protobuf/text_format.h>

namespace paperlab {
namespace {

namespace pb = google::protobuf;

QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

Claim claimFromProto(const efficient_paper::Claim &m)
{
    Claim c;
    c.metric = text(m.metric()).trimmed();
    c.baseline = text(m.baseline()).trimmed();
    c.value = m.value();
    c.valueMax = m.value_max();
    c.unit = text(m.unit()).trimmed();
    c.setting = text(m.setting()).trimmed();
    c.hardware = text(m.hardware()).trimmed();
    c.quote = text(m.quote()).trimmed();
    c.location = text(m.location()).trimmed();
    c.kernel = text(m.kernel()).trimmed();
    c.variant = text(m.variant()).trimmed();
    c.baselineVariant = text(m.baseline_variant()).trimmed();
    c.sweepParam = text(m.sweep_param()).trimmed();
    c.at = m.at();
    for (const std::string &p : m.params())
        c.params.append(text(p).trimmed());
    c.baselineKernel = text(m.baseline_kernel()).trimmed();
    return c;
}

void claimToProto(const Claim &c, efficient_paper::Claim *m)
{
    // Only what the claim says is written: an empty field stays out of the file.
    auto put = [](const QString &v, auto setter) {
        if (!v.isEmpty())
            setter(v.toStdString());
    };
    put(c.metric, [m](const std::string &v) { m->set_metric(v); });
    put(c.baseline, [m](const std::string &v) { m->set_baseline(v); });
    if (c.value != 0)
        m->set_value(c.value);
    if (c.valueMax != 0)
        m->set_value_max(c.valueMax);
    put(c.unit, [m](const std::string &v) { m->set_unit(v); });
    put(c.setting, [m](const std::string &v) { m->set_setting(v); });
    put(c.hardware, [m](const std::string &v) { m->set_hardware(v); });
    put(c.quote, [m](const std::string &v) { m->set_quote(v); });
    put(c.location, [m](const std::string &v) { m->set_location(v); });
    put(c.kernel, [m](const std::string &v) { m->set_kernel(v); });
    put(c.variant, [m](const std::string &v) { m->set_variant(v); });
    put(c.baselineVariant, [m](const std::string &v) { m->set_baseline_variant(v); });
    put(c.sweepParam, [m](const std::string &v) { m->set_sweep_param(v); });
    if (c.at != 0)
        m->set_at(c.at);
    for (const QString &p : c.params)
        m->add_params(p.toStdString());
    put(c.baselineKernel, [m](const std::string &v) { m->set_baseline_kernel(v); });
}

QList<Claim> claimsFromPaperInfo(const pb::Message &info, const QString &fileText, const QString &file,
                                 ImportBatch &batch)
{
    QList<Claim> out;
    const pb::FieldDescriptor *f = info.GetDescriptor()->FindFieldByName("claims");
    if (!f || !f->is_repeated() || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE)
        return out;
    const pb::Reflection *refl = info.GetReflection();
    const int n = refl->FieldSize(info, f);
    if (n == 0)
        return out;
    // The line of each top-level claims block, in file order, for the warnings.
    QList<int> lines;
    const LineIndex index(fileText);
    for (const TextField &t : textFormatFields(fileText))
        if (t.name == u"claims")
            lines.append(index.line(t.start));
    for (int i = 0; i < n; ++i) {
        efficient_paper::Claim m;
        m.ParseFromString(refl->GetRepeatedMessage(info, f, i).SerializeAsString());
        const Claim c = claimFromProto(m);
        const int line = i < lines.size() ? lines[i] : 0;
        for (const QString &problem : claimProblems(c))
            batch.warn(file, line, QStringLiteral("claim %1: %2").arg(i + 1).arg(problem));
        out.append(c);
    }
    return out;
}

QString claimsText(const QList<Claim> &claims)
{
    efficient_paper::PaperInfo info;
    for (const Claim &c : claims)
        claimToProto(c, info.add_claims());
    std::string out;
    pb::TextFormat::Printer printer;
    printer.SetUseUtf8StringEscaping(true);
    printer.PrintToString(info, &out);
    return text(out);
}

QString replaceClaimsInPrototxt(const QString &prototxt, const QList<Claim> &claims)
{
    QString out;
    qsizetype from = 0;
    qsizetype insertAt = -1;
    for (const TextField &t : textFormatFields(prototxt)) {
        if (t.name != u"claims")
            continue;
        out += prototxt.mid(from, t.start - from);
        if (insertAt < 0)
            insertAt = out.size();
        from = t.end;
    }
    out += prototxt.mid(from);
    const QString block = claimsText(claims);
    if (block.isEmpty())
        return out;
    if (insertAt < 0) {
        // No claims before: they go at the end, on a line of their own.
        if (!out.isEmpty() && !out.endsWith(QLatin1Char('\n')))
            out += QLatin1Char('\n');
        insertAt = out.size();
    }
    out.insert(insertAt, block);
    return out;
}

} // namespace paperlab
