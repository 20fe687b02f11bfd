#pragma once
// The paper page's "Playground" tab: the paper's own kernel, or its family's, from the
// playground library. Rebuilt for each paper; the runner starts only when the tab is shown.

#include "paperpage.h"

class QScrollArea;

namespace paperlab::gui {

class PlaygroundSection : public PaperPageSection {
    Q_OBJECT
public:
    PlaygroundSection(Library *library, QWidget *parent = nullptr);
    void showPaper(const Paper *paper) override;

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    // Widens the page (in the main window's splitter) to the playground's width, as far as
    // the table beside it can give.
    void makeRoom();
    // The playground's controls beside its charts when the page holds both, else above them.
    void fitPlayground();
    void scheduleFit();
    int neededWidth() const; // the playground's width side by side

    Library *m_library;
    QScrollArea *m_scroll;
    QWidget *m_current = nullptr;
    qint64 m_paperId = 0;
    bool m_fitPending = false;
};

} // namespace paperlab::gui
