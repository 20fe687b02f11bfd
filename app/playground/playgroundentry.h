#pragma once
// What the app embeds: a paper page's Playground section and the kernels overview.

#include <QWidget>

namespace paperlab {
class Library;
struct Paper;
} // namespace paperlab

namespace paperlab::playground {

class KernelsOverview;
class PlaygroundWidget;

// The paper's own kernels or, failing that, related ones from its topics; a plain
// "no kernel" note when there are none.
PlaygroundWidget *createPaperPlayground(Library &library, const Paper &paper, QWidget *parent = nullptr);
// Every kernel with its papers; connect KernelsOverview::paperActivated(qint64) to open a page.
KernelsOverview *createKernelsOverview(Library &library, QWidget *parent = nullptr);

} // namespace paperlab::playground
