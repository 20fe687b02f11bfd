#include "playgroundentry.h"

#include "family.h"
#include "kernelsoverview.h"
#include "library.h"
#include "playgroundwidget.h"

namespace paperlab::playground {

PlaygroundWidget *createPaperPlayground(Library &library, const Paper &paper, QWidget *parent)
{
    return new PlaygroundWidget(library, paper.id, kernelsForPaper(paper), parent);
}

KernelsOverview *createKernelsOverview(Library &library, QWidget *parent)
{
    return new KernelsOverview(library, parent);
}

} // namespace paperlab::playground
