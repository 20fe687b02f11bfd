#include "baselinegraph.h"

#include "library.h"
#include "paperreference.h"
#include "recordjson.h"
#include "sqlitedb.h"
#include "textnormalize.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

namespace paperlab {
namespace {

// "2022/FlashAttention" names meta/2022/FlashAttention.prototxt: the key, in that year
// when two papers share it (two "DSA"s); a bare name goes through findPaper.
qint64 resolveMethod(Library &library, const QString &method)
{
    static const QRegularExpression yearKey(QStringLiteral(R"(^(\d{4})/(.+)$)"));
    if (const auto m = yearKey.match(method.trimmed()); m.hasMatch()) {
        auto st = library.database().prepare(
            "SELECT id FROM papers WHERE lower(key) = lower(?) ORDER BY (year = ?) DESC, id LIMIT 1");
        st.bind(1, m.captured(2)).bind(2, m.captured(1).toInt());
        if (st.step())
            return st.int64(0);
        // Two papers keyed alike: the second was stored as KEY-2, still filed under its year.
        auto byFile = library.database().prepare(
            "SELECT paper_id FROM provenance WHERE format = 'efficientpaper' AND file LIKE ? LIMIT 1");
        byFile.bind(1, QStringLiteral("%/meta/%1/%2.prototxt").arg(m.captured(1), m.captured(2)));
        if (byFile.step())
            return byFile.int64(0);
        return 0;
    }
    return findPaper(library, method).value_or(0);
}

// The baselines every EfficientPaper record of the paper names, in file order, once each.
QStringList methodsOf(Library &library, qint64 paperId)
{
    QStringList out;
    auto st = library.database().prepare("SELECT record FROM provenance WHERE paper_id = ? ORDER BY id");
    st.bind(1, paperId);
    while (st.step())
        for (const QString &m : recordFromJson(QJsonDocument::fromJson(st.text(0).toUtf8()).object()).baselineMethods)
            if (!out.contains(m))
                out.append(m);
    return out;
}

QString titleOf(Library &library, qint64 id)
{
    auto st = library.database().prepare("SELECT title FROM papers WHERE id = ?");
    st.bind(1, id);
    return st.step() ? st.text(0) : QString();
}

} // namespace

BaselineNeighbours baselineNeighbours(Library &library, qint64 paperId)
{
    BaselineNeighbours out;
    QSet<qint64> seen{paperId};
    for (const QString &method : methodsOf(library, paperId)) {
        const qint64 id = resolveMethod(library, method);
        if (id && seen.contains(id))
            continue;
        if (id)
            seen.insert(id);
        out.comparesWith.append({id, id ? titleOf(library, id) : method, BaselineEdge::Via::Baseline});
    }
    // Papers of the library the note links to by arXiv id ("compared against [H2O](https://arxiv.org/abs/2306.14048)").
    auto note = library.database().prepare("SELECT note FROM paper_notes WHERE paper_id = ?");
    note.bind(1, paperId);
    if (note.step()) {
        static const QRegularExpression arxivLink(QStringLiteral(R"(arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}))"));
        for (auto it = arxivLink.globalMatch(note.text(0)); it.hasNext();) {
            const auto id = findPaper(library, it.next().captured(1));
            if (!id || seen.contains(*id))
                continue;
            seen.insert(*id);
            out.comparesWith.append({*id, titleOf(library, *id), BaselineEdge::Via::NoteLink});
        }
    }

    // Who names this paper: every record with a baseline list, resolved the same way.
    QSet<qint64> by;
    auto all = library.database().prepare("SELECT paper_id, record FROM provenance WHERE format = 'efficientpaper' AND "
                                          "record LIKE '%\"baseline\"%' ORDER BY paper_id");
    while (all.step()) {
        const qint64 other = all.int64(0);
        if (other == paperId || by.contains(other))
            continue;
        for (const QString &m :
             recordFromJson(QJsonDocument::fromJson(all.text(1).toUtf8()).object()).baselineMethods) {
            if (resolveMethod(library, m) != paperId)
                continue;
            by.insert(other);
            out.comparedBy.append({other, titleOf(library, other), BaselineEdge::Via::Baseline});
            break;
        }
    }
    return out;
}

} // namespace paperlab
