#pragma once
// The paper page's "Playground" tab: the paper's own kernel, or its family's, from the
// playground library. Rebuilt for each paper; the runner starts only when the tab is shown.

#include "paperpage.h"

class QVBoxLayout;

namespace paperlab::gui {

class PlaygroundSection : public PaperPageSection {
    Q_OBJECT
public:
    PlaygroundSection(Library *library, QWidget *parent = nullptr);
    void showPaper(const Paper *paper) override;

private:
    Library *m_library;
    QVBoxLayout *m_layout;
    QWidget *m_current = nullptr;
    qint64 m_paperId = 0;
};

} // namespace paperlab::gui
