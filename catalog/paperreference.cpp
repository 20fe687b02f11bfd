#include "paperreference.h"

#include "library.h"
#include "sqlitedb.h"
#include "textnormalize.h"

#include <QRegularExpression>

namespace paperlab {

PaperReference PaperReference::parse(const QString &reference)
{
    static const QRegularExpression id(QStringLiteral(R"(^\s*(?:arxiv:\s*)?(\d{4}\.\d{4,5})(?:v\d+)?\s*(.*)$)"),
                                       QRegularExpression::CaseInsensitiveOption);
    PaperReference r;
    if (const auto m = id.match(reference); m.hasMatch()) {
        r.arxivId = m.captured(1);
        r.name = m.captured(2).trimmed();
    } else {
        r.name = reference.trimmed();
    }
    return r;
}

bool PaperReference::refersTo(const QString &paperArxivId, const QString &title, const QString &abbr,
                              const QString &key) const
{
    if (!arxivId.isEmpty() && !paperArxivId.isEmpty())
        return arxivId == paperArxivId;
    const QString norm = normalizedTitle(name);
    if (norm.isEmpty())
        return false;
    if (norm == normalizedTitle(title) || norm == normalizedTitle(abbr) || norm == normalizedTitle(key))
        return true;
    // A paper without an arXiv id may be held under the short name alone ("FlashAttention",
    // key flashattention): the part of the title before its colon names it too.
    const QString shortName = normalizedTitle(name.section(QLatin1Char(':'), 0, 0));
    return !shortName.isEmpty() && shortName != norm &&
           (shortName == normalizedTitle(title) || shortName == normalizedTitle(abbr) ||
            shortName == normalizedTitle(key));
}

std::optional<qint64> findPaper(Library &library, const QString &reference)
{
    const PaperReference ref = PaperReference::parse(reference);
    Database &db = library.database();
    if (!ref.arxivId.isEmpty()) {
        auto st = db.prepare("SELECT id FROM papers WHERE arxiv_id = ?");
        st.bind(1, ref.arxivId);
        if (st.step())
            return st.int64(0);
    }
    if (ref.name.isEmpty())
        return std::nullopt;
    // A name alone must be unambiguous: two papers called "DSA" are not one. A paper with
    // another arXiv id than the reference's is another paper, whatever it is called.
    auto st = db.prepare(
        "SELECT DISTINCT id FROM papers WHERE (norm_title = ?1 OR lower(abbr) = lower(?2) OR lower(key) = lower(?2))"
        " AND (?3 = '' OR COALESCE(arxiv_id, '') IN ('', ?3)) LIMIT 2");
    st.bind(1, normalizedTitle(ref.name)).bind(2, ref.name).bind(3, ref.arxivId);
    std::optional<qint64> found;
    if (st.step())
        found = st.int64(0);
    if (st.step())
        return std::nullopt;
    if (found)
        return found;
    // Spelled differently: "flashattention2" for "FlashAttention-2".
    const QString norm = normalizedTitle(ref.name);
    auto all = db.prepare("SELECT id, abbr, key FROM papers WHERE ?1 = '' OR COALESCE(arxiv_id, '') IN ('', ?1)");
    all.bind(1, ref.arxivId);
    while (all.step()) {
        if (normalizedTitle(all.text(1)) != norm && normalizedTitle(all.text(2)) != norm)
            continue;
        if (found)
            return std::nullopt;
        found = all.int64(0);
    }
    if (found)
        return found;
    // A library may hold the paper under its short name alone ("FlashAttention", no arXiv
    // id): the part of the title before its colon names it too, under the same rules.
    const QString shortName = ref.name.section(QLatin1Char(':'), 0, 0).trimmed();
    if (shortName.isEmpty() || shortName == ref.name.trimmed())
        return std::nullopt;
    return findPaper(library, ref.arxivId.isEmpty() ? shortName : ref.arxivId + QLatin1Char(' ') + shortName);
}

} // namespace paperlab
