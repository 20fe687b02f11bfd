#pragma once
// A combo box that may be narrower than its entries. The playground's panel is some 330 px
// wide at 1024 px, and a plain QComboBox there showed "KV selection (StreamingLLM, H2O,
// TOVA, SnapKV, Q", clipped at the arrow with no sign that more followed. This one ends the
// shown text in "…" where it is cut and makes the whole entry its tooltip; the opened list
// shows entries whole.

#include <QComboBox>

namespace paperlab::playground {

class ElidingComboBox : public QComboBox {
    Q_OBJECT
public:
    explicit ElidingComboBox(QWidget *parent = nullptr);
    // The text the box shows: its current entry, cut with "…" to the room it has.
    QString shownText() const;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateToolTip();
};

} // namespace paperlab::playground
