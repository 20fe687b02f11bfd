#pragma once
// The "Block mask" panel beside a block-sparse kernel's charts: the (query block x key
// block) mask of the latest point as an image, kept blocks dark, with its density.

#include "runtypes.h"

#include <QGroupBox>

class QLabel;

namespace paperlab::playground {

class BlockMaskView : public QGroupBox {
    Q_OBJECT
public:
    explicit BlockMaskView(QWidget *parent = nullptr);

    // Shows the point's mask; a point without one leaves the panel as it was.
    void showPoint(const RunPoint &point);
    void clear();
    bool hasMask() const { return !m_mask.isEmpty(); }
    const QPixmap &pixmap() const { return m_pixmap; }

    // Kept blocks black, skipped ones white, one pixel per block (scale it nearest-neighbour).
    static QImage maskImage(const BlockMask &mask);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void render();

    BlockMask m_mask;
    QPixmap m_pixmap;
    QLabel *m_image;
    QLabel *m_text;
};

} // namespace paperlab::playground
