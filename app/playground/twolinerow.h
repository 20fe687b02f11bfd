#pragma once
// A row of controls with one part that drops to a line of its own below the others when the
// row is too narrow for that part at its preferred width. At 1024 px the paper page's tag
// field, in the row of status, rating and "Edit note", was squeezed to "Add…", and the
// playground's peak compute and bandwidth entries held the page wider than the window; on
// a line of their own they keep a usable width, and a wide page keeps the single row.

#include <QWidget>

class QHBoxLayout;

namespace paperlab::playground {

class TwoLineRow : public QWidget {
    Q_OBJECT
public:
    explicit TwoLineRow(QWidget *parent = nullptr);

    // The first line: add the row's controls here.
    QHBoxLayout *line() const { return m_line; }
    // What "wide enough" means for the part: its preferred width (a field that is useless
    // squeezed) or only its minimum (entries that read well narrower).
    enum class Fit { Preferred, Minimum };
    // `part` sits at `index` of line() while the row is wide enough, else alone below it.
    void setMovablePart(QWidget *part, int index, Fit fit = Fit::Preferred);
    bool isWrapped() const { return m_wrapped; }
    // With Fit::Minimum, as narrow as the row gets wrapped: inline, the part's minimum would
    // hold it as wide as the width where it wraps, so it never would.
    QSize minimumSizeHint() const override;
    // As wide as one line, wrapped or not: a splitter that sized the row by its wrapped width
    // would keep it wrapped.
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;

private:
    // The width the row needs with the movable part inline at its preferred width.
    int inlineWidth() const;
    void place();

    QHBoxLayout *m_line;
    QHBoxLayout *m_below;
    QWidget *m_part = nullptr;
    int m_index = 0;
    Fit m_fit = Fit::Preferred;
    bool m_wrapped = false;
};

} // namespace paperlab::playground
