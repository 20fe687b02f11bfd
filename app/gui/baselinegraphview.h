#pragma once
// The baseline graph of one paper: the papers it compares with on the left, the papers
// that compare with it on the right, itself in the middle. Clicking a paper of the
// library opens it (paperActivated) and centres the graph on it.

#include <QGraphicsView>

#include <functional>

namespace paperlab {

class Library;

class BaselineGraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit BaselineGraphView(Library &library, QWidget *parent = nullptr);

    void setPaper(qint64 id);
    qint64 paperId() const { return m_paperId; }
    // Number of neighbours drawn (both sides), for tests and the window title.
    int neighbourCount() const { return m_neighbours; }

    // The one graph window of `parent`, created on first use, showing `paperId`; opening a
    // paper from it calls `open`.
    static BaselineGraphView *showFor(Library &library, qint64 paperId, QWidget *parent,
                                      const std::function<void(qint64)> &open);

signals:
    void paperActivated(qint64 id);

protected:
    void mousePressEvent(QMouseEvent *event) override;

private:
    Library &m_library;
    qint64 m_paperId = 0;
    int m_neighbours = 0;
};

} // namespace paperlab
