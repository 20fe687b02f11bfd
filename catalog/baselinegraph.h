#pragma once
// Which papers a paper compares with and which compare with it: from EfficientPaper's
// baseline.methods ("2022/FlashAttention", YEAR/KEY of the same library, or a bare name)
// and from the arXiv links in the paper's note that name other papers of the library.

#include <QList>
#include <QString>

namespace paperlab {

class Library;

struct BaselineEdge {
    qint64 paperId = 0; // the other paper; 0 when the library does not hold it
    QString label;      // its title, or the method as the source wrote it
    enum class Via { Baseline, NoteLink } via = Via::Baseline;
};

struct BaselineNeighbours {
    QList<BaselineEdge> comparesWith; // this paper's baselines
    QList<BaselineEdge> comparedBy;   // papers that name this one as a baseline
};

BaselineNeighbours baselineNeighbours(Library &library, qint64 paperId);

} // namespace paperlab
