#include "venue.h"

#include <QHash>
#include <QRegularExpression>
#include <QStringList>

namespace paperlab {
namespace {

const QHash<QString, QString> &canonicalNames()
{
    static const QHash<QString, QString> names = {
        {"icml", "ICML"},     {"iclr", "ICLR"},       {"neurips", "NeurIPS"}, {"nips", "NeurIPS"},
        {"asplos", "ASPLOS"}, {"sosp", "SOSP"},       {"osdi", "OSDI"},       {"eurosys", "EuroSys"},
        {"fast", "FAST"},     {"colm", "COLM"},       {"arxiv", "arXiv"},     {"ppopp", "PPoPP"},
        {"sc", "SC"},         {"mlsys", "MLSys"},     {"isca", "ISCA"},       {"micro", "MICRO"},
        {"hpca", "HPCA"},     {"atc", "ATC"},         {"acl", "ACL"},         {"emnlp", "EMNLP"},
        {"naacl", "NAACL"},   {"coling", "COLING"},   {"cvpr", "CVPR"},       {"iccv", "ICCV"},
        {"eccv", "ECCV"},     {"aaai", "AAAI"},       {"ijcai", "IJCAI"},     {"kdd", "KDD"},
        {"mm", "MM"},         {"sigcomm", "SIGCOMM"}, {"nsdi", "NSDI"},       {"vldb", "VLDB"},
        {"sigmod", "SIGMOD"}, {"date", "DATE"},       {"dac", "DAC"},         {"tmlr", "TMLR"},
        {"tacl", "TACL"},     {"uai", "UAI"},         {"aistats", "AISTATS"}, {"github", "GitHub"},
        {"blog", "Blog"},     {"enlsp", "ENLSP"},     {"automl", "AutoML"},   {"socc", "SoCC"},
        {"jmlr", "JMLR"},     {"tpami", "TPAMI"},     {"iccad", "ICCAD"},     {"interspeech", "Interspeech"},
        {"icassp", "ICASSP"}, {"www", "WWW"},         {"ipdps", "IPDPS"},
    };
    return names;
}

bool isMonth(const QString &w)
{
    static const QStringList months = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
    return w.size() >= 3 && months.contains(w.left(3).toLower()) && w.size() <= 9;
}

} // namespace

bool isKnownVenueName(const QString &word)
{
    return canonicalNames().contains(word.trimmed().toLower());
}

Venue normalizeVenue(const QString &raw)
{
    Venue v;
    QString s = raw.trimmed();
    if (s.isEmpty())
        return v;

    // A four-digit year anywhere ("ICML 2025", "2025-ICML", "2024-2-20").
    static const QRegularExpression year4(QStringLiteral(R"((?<!\d)(19[89]\d|20[0-4]\d)(?!\d))"));
    if (const auto m = year4.match(s); m.hasMatch()) {
        v.year = m.captured(1).toInt();
        s.remove(m.capturedStart(1), m.capturedLength(1));
    } else {
        // Two digits glued to the name or after an apostrophe: "ICML'25", "sosp24", "FAST25".
        static const QRegularExpression year2(QStringLiteral(R"((?:['’]|(?<=[A-Za-z]))(\d{2})\b)"));
        if (const auto m2 = year2.match(s); m2.hasMatch()) {
            v.year = 2000 + m2.captured(1).toInt();
            s.remove(m2.capturedStart(0), m2.capturedLength(0));
        }
    }

    static const QRegularExpression splitter(QStringLiteral(R"([\s_\-'’,.]+)"));
    QStringList words = s.split(splitter, Qt::SkipEmptyParts);
    QStringList kept;
    bool workshop = false;
    for (const QString &w : words) {
        const QString lw = w.toLower();
        if (lw == u"workshop" || lw == u"workshops") {
            workshop = true;
            continue;
        }
        if (lw == u"poster" || lw == u"oral" || lw == u"spotlight" || lw == u"findings" || lw == u"main")
            continue;
        if (isMonth(w))
            continue;
        bool isNumber = false;
        w.toInt(&isNumber);
        if (isNumber)
            continue; // day of month, "2-20"
        kept.append(w);
    }
    if (kept.isEmpty())
        return v;
    const auto &names = canonicalNames();
    QString name;
    if (const auto it = names.constFind(kept.first().toLower()); it != names.constEnd())
        name = it.value();
    else
        name = kept.join(QLatin1Char(' '));
    if (name.compare(QLatin1String("coling"), Qt::CaseInsensitive) == 0)
        name = QStringLiteral("COLING");
    if (workshop)
        name += QStringLiteral(" Workshop");
    v.name = name;
    return v;
}

} // namespace paperlab
