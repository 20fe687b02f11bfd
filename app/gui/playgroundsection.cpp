#include "playgroundsection.h"

#include "playgroundentry.h"
#include "playgroundwidget.h"

#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace paperlab::gui {

namespace {

constexpr int kMinLeftPane = 390; // the table keeps room for a title and its short name

} // namespace

PlaygroundSection::PlaygroundSection(Library *library, QWidget *parent)
    : PaperPageSection(parent)
    , m_library(library)
    , m_scroll(new QScrollArea(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // The playground needs some 830 x 730 px; as the tab's minimum it held the whole page
    // (and the table beside it) that wide on every paper, and a 1024 x 700 window could not
    // fit. Shown, it widens the page as far as the window allows (makeRoom); when the page
    // is still narrower than controls and charts side by side, they stack (fitPlayground)
    // and the scroll area scrolls only vertically.
    m_scroll->setObjectName(QStringLiteral("playgroundScroll"));
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidgetResizable(true);
    layout->addWidget(m_scroll);
}

void PlaygroundSection::showPaper(const Paper *paper)
{
    const qint64 id = paper ? paper->id : 0;
    if (id == m_paperId && m_current)
        return; // the same paper again (after an edit): keep the run on screen
    m_paperId = id;
    if (m_current) {
        m_scroll->takeWidget();
        m_current->deleteLater();
        m_current = nullptr;
    }
    if (!paper) {
        m_current = new QLabel(tr("Select a paper to see its kernels."), this);
    } else {
        m_current = playground::createPaperPlayground(*m_library, *paper, this);
    }
    m_scroll->setWidget(m_current);
    if (isVisible())
        makeRoom();
    scheduleFit();
}

void PlaygroundSection::showEvent(QShowEvent *event)
{
    PaperPageSection::showEvent(event);
    makeRoom();
    scheduleFit();
}

void PlaygroundSection::resizeEvent(QResizeEvent *event)
{
    PaperPageSection::resizeEvent(event);
    scheduleFit();
}

void PlaygroundSection::scheduleFit()
{
    // Once the window's layout has settled: the sizes on the way there (the page before
    // makeRoom widened it) would stack a playground only to unstack it at a width of its own.
    if (m_fitPending)
        return;
    m_fitPending = true;
    QTimer::singleShot(0, this, [this] {
        m_fitPending = false;
        fitPlayground();
    });
}

int PlaygroundSection::neededWidth() const
{
    if (auto *playground = qobject_cast<playground::PlaygroundWidget *>(m_current))
        return playground->sideBySideWidth();
    return m_current ? m_current->minimumSizeHint().width() : 0;
}

void PlaygroundSection::fitPlayground()
{
    auto *playground = qobject_cast<playground::PlaygroundWidget *>(m_current);
    if (!playground || !isVisible()) // hidden, the tab's width means nothing
        return;
    // The room without counting the vertical scroll bar, which stacking may add or take
    // away: measured with it, a width near the limit would flip back and forth.
    const int room = m_scroll->maximumViewportSize().width() - m_scroll->verticalScrollBar()->sizeHint().width();
    playground->setStacked(room < playground->sideBySideWidth());
}

void PlaygroundSection::makeRoom()
{
    if (!m_current)
        return;
    const int missing = neededWidth() - m_scroll->viewport()->width();
    // The splitter holding the page: the room comes from the pane left of it (the table),
    // which keeps at least its own minimum.
    QWidget *pane = this;
    while (pane->parentWidget() && !qobject_cast<QSplitter *>(pane->parentWidget()))
        pane = pane->parentWidget();
    auto *splitter = qobject_cast<QSplitter *>(pane->parentWidget());
    if (missing <= 0 || !splitter)
        return;
    const int index = splitter->indexOf(pane);
    if (index < 1)
        return;
    QList<int> sizes = splitter->sizes();
    QWidget *left = splitter->widget(index - 1);
    const int give = std::min(missing, sizes[index - 1] - std::max(left->minimumSizeHint().width(), kMinLeftPane));
    if (give <= 0)
        return;
    sizes[index - 1] -= give;
    sizes[index] += give;
    splitter->setSizes(sizes);
}

} // namespace paperlab::gui
