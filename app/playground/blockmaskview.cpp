#include "blockmaskview.h"

#include <QLabel>
#include <QVBoxLayout>

namespace paperlab::playground {

BlockMaskView::BlockMaskView(QWidget *parent)
    : QGroupBox(tr("Block mask"), parent)
    , m_image(new QLabel(this))
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("blockMask"));
    m_image->setObjectName(QStringLiteral("blockMaskImage"));
    m_image->setAlignment(Qt::AlignCenter);
    m_image->setMinimumSize(160, 160);
    m_image->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored); // the pixmap follows the label
    m_image->setWordWrap(true); // before a run it holds the hint, where the mask will be
    m_image->setForegroundRole(QPalette::PlaceholderText);
    m_text->setObjectName(QStringLiteral("blockMaskText"));
    m_text->setWordWrap(true);
    auto *v = new QVBoxLayout(this);
    v->addWidget(m_image, 1);
    v->addWidget(m_text);
    clear();
}

QImage BlockMaskView::maskImage(const BlockMask &mask)
{
    QImage img(mask.cols, mask.rows, QImage::Format_Grayscale8);
    for (int i = 0; i < mask.rows; ++i) {
        uchar *line = img.scanLine(i);
        for (int j = 0; j < mask.cols; ++j)
            line[j] = mask.kept(i, j) ? 0x20 : 0xF4;
    }
    return img;
}

void BlockMaskView::showPoint(const RunPoint &point)
{
    if (point.mask.isEmpty())
        return;
    m_mask = point.mask;
    qsizetype kept = 0;
    for (char b : m_mask.bits)
        kept += b ? 1 : 0;
    // The density metric counts visible blocks only (causal: the lower triangle), over all heads.
    const QString density =
        point.metrics.contains(QStringLiteral("density"))
            ? tr("density %1 (all heads)").arg(point.metrics.value(QStringLiteral("density")), 0, 'f', 3)
            : QString();
    m_text->setText(tr("%1 at %2 — head 0: %3 of %4 × %5 blocks kept. %6")
                        .arg(point.variant, point.sweepValue)
                        .arg(kept)
                        .arg(m_mask.rows)
                        .arg(m_mask.cols)
                        .arg(density));
    m_text->show();
    render();
}

void BlockMaskView::clear()
{
    m_mask = BlockMask{};
    m_pixmap = QPixmap();
    // In the middle of the empty panel: below it, the hint sat at the foot of a tall blank
    // box that read as a panel that had failed to draw.
    m_image->setText(tr("Run the kernel to see which blocks it computes (dark = kept)."));
    m_text->clear();
    m_text->hide();
}

void BlockMaskView::resizeEvent(QResizeEvent *event)
{
    QGroupBox::resizeEvent(event);
    render();
}

void BlockMaskView::render()
{
    if (m_mask.isEmpty())
        return;
    // Nearest-neighbour: every block stays a crisp square, however few there are.
    const QSize room = m_image->size().expandedTo(QSize(160, 160));
    m_pixmap = QPixmap::fromImage(maskImage(m_mask).scaled(room, Qt::KeepAspectRatio, Qt::FastTransformation));
    m_image->setPixmap(m_pixmap);
}

} // namespace paperlab::playground
