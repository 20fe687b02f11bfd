#include "mainsplittershares.h"

#include <QEvent>
#include <QSplitter>

#include <algorithm>

namespace paperlab::gui {
namespace {

constexpr int kFacetsWidth = 230; // what a 1600 px window gives them
constexpr int kPageWidth = 560;
constexpr char kObjectName[] = "firstShowShares";

// Only narrow windows (a 1024 or 1366 px screen) are shared anew: from 1400 px on, the
// stretch factors' layout gave the page enough, and the table's column fitting is tuned to it.
bool narrow(int width)
{
    return width >= 900 && width < 1400;
}

// Waits for the splitter's first show, when its pending resize has given it the window's
// width: before, its width is a default, and sizes set then are scaled by the stretch
// factors instead. (Resize events come before the splitter counts as visible.)
class FirstShowShares : public QObject {
public:
    explicit FirstShowShares(QSplitter *splitter)
        : QObject(splitter)
    {
        setObjectName(QLatin1String(kObjectName));
        splitter->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        auto *splitter = static_cast<QSplitter *>(watched);
        if (event->type() == QEvent::Show && splitter->width() > 0) {
            if (narrow(splitter->width()))
                splitter->setSizes(mainSplitterSizes(splitter->width()));
            splitter->removeEventFilter(this);
            deleteLater();
        }
        return false;
    }
};

} // namespace

QList<int> mainSplitterSizes(int width)
{
    // Below about 220 px the facet names ("Speculative Decoding") are cut.
    const int facets = std::clamp(width / 5, 220, kFacetsWidth);
    const int page = std::min(width * 2 / 5, kPageWidth);
    return {facets, std::max(0, width - facets - page), page};
}

void shareWhenFirstShown(QSplitter *splitter)
{
    new FirstShowShares(splitter);
}

void keepCurrentShares(QSplitter *splitter)
{
    delete splitter->findChild<QObject *>(QLatin1String(kObjectName), Qt::FindDirectChildrenOnly);
}

} // namespace paperlab::gui
