#include "playgroundsection.h"

#include "playgroundentry.h"
#include "playgroundwidget.h"

#include <QLabel>
#include <QVBoxLayout>

namespace paperlab::gui {

PlaygroundSection::PlaygroundSection(Library *library, QWidget *parent)
    : PaperPageSection(parent)
    , m_library(library)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
}

void PlaygroundSection::showPaper(const Paper *paper)
{
    const qint64 id = paper ? paper->id : 0;
    if (id == m_paperId && m_current)
        return; // the same paper again (after an edit): keep the run on screen
    m_paperId = id;
    if (m_current) {
        m_layout->removeWidget(m_current);
        m_current->deleteLater();
        m_current = nullptr;
    }
    if (!paper) {
        m_current = new QLabel(tr("Select a paper to see its kernels."), this);
    } else {
        m_current = playground::createPaperPlayground(*m_library, *paper, this);
    }
    m_layout->addWidget(m_current);
}

} // namespace paperlab::gui
