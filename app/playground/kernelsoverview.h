#pragma once
// The "Playground" view: every kernel with the papers it implements. Activating a paper
// asks the app to open its page.

#include <QTreeWidget>

namespace paperlab {
class Library;
}

namespace paperlab::playground {

class KernelsOverview : public QTreeWidget {
    Q_OBJECT
public:
    explicit KernelsOverview(Library &library, QWidget *parent = nullptr);
    void reload();
    // The window size that shows every row and both columns whole, within nine tenths of the
    // width and four fifths of the height of `available` (the screen): a fixed 720 x 480
    // elided most variants and titles even on a large screen.
    QSize preferredSize(const QSize &available) const;

signals:
    void paperActivated(qint64 paperId);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitColumns();

    Library &m_library;
};

} // namespace paperlab::playground
