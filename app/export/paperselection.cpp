#include "paperselection.h"

namespace paperlab {

QList<Paper> selectPapers(Library &library, const PaperSelection &selection)
{
    if (selection.kind == PaperSelection::Kind::All)
        return library.allPapers();
    QList<qint64> ids;
    if (selection.kind == PaperSelection::Kind::Query) {
        ids = library.findIds(selection.value);
    } else {
        SearchOptions options;
        options.facets.append({Facet::Tag, {selection.value}});
        options.sort = SortKey::Year; // a reading group goes through its papers oldest first
        ids = library.findIds(QString(), options);
    }
    QList<Paper> papers;
    papers.reserve(ids.size());
    for (qint64 id : ids)
        if (auto p = library.paper(id))
            papers.append(*p);
    return papers;
}

} // namespace paperlab
