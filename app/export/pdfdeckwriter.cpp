#include "pdfdeckwriter.h"

#include "safefile.h"

#include <QBuffer>
#include <QImageReader>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace paperlab {

void paintSlide(QPainter &p, const Deck &deck, const Slide &slide)
{
    p.fillRect(QRectF(QPointF(0, 0), kSlideSize), Qt::white);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    for (const SlideBlock &b : slide.blocks) {
        switch (b.kind) {
        case SlideBlock::Kind::Band:
            p.fillRect(b.rect, b.colour);
            break;
        case SlideBlock::Kind::Badge:
            p.setPen(Qt::NoPen);
            p.setBrush(b.colour);
            p.drawRoundedRect(b.rect, 10, 10);
            p.setPen(Qt::white);
            p.setFont(blockFont(b));
            p.drawText(b.rect, Qt::AlignCenter, b.text);
            break;
        case SlideBlock::Kind::Text: {
            p.setFont(blockFont(b));
            p.setPen(b.colour);
            // A little slack below: the layout measured on another device may round differently.
            p.drawText(b.rect.adjusted(0, 0, 0, 8), Qt::TextWordWrap | (b.alignRight ? Qt::AlignRight : Qt::AlignLeft), b.text);
            if (!b.bullet.isEmpty())
                p.drawText(QRectF(b.rect.left() - 44, b.rect.top(), 40, b.pixelSize * 1.6), Qt::AlignRight | Qt::AlignTop, b.bullet);
            break;
        }
        case SlideBlock::Kind::Image: {
            QImageReader reader(b.imagePath);
            reader.setAutoTransform(true);
            const QImage img = reader.read();
            if (!img.isNull()) p.drawImage(b.rect, img);
            break;
        }
        case SlideBlock::Kind::Chart:
            if (b.chart >= 0 && b.chart < deck.charts.size()) paintRunChart(p, b.rect, deck.charts[b.chart]);
            break;
        }
    }
}

bool writePdfDeck(const Deck &deck, const QString &path, QString *error)
{
    // The PDF is made in memory, then written by the checked writer: QPdfWriter on a file
    // reports nothing when the disk fills up and leaves a truncated PDF behind.
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    // 10 x 5.625 inches: the 16:9 size presentation programs use.
    writer.setPageSize(QPageSize(QSizeF(254.0, 142.875), QPageSize::Millimeter, QStringLiteral("Slide 16:9"), QPageSize::ExactMatch));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setResolution(300);
    writer.setTitle(deck.group);
    writer.setCreator(QStringLiteral("PaperLab"));
    QPainter p;
    if (!p.begin(&writer)) {
        if (error) *error = QStringLiteral("%1: cannot start the PDF").arg(path);
        return false;
    }
    for (int i = 0; i < deck.slides.size(); ++i) {
        if (i > 0) writer.newPage();
        p.setViewport(0, 0, writer.width(), writer.height());
        p.setWindow(0, 0, int(kSlideSize.width()), int(kSlideSize.height()));
        paintSlide(p, deck, deck.slides[i]);
    }
    if (!p.end()) {
        if (error) *error = QStringLiteral("%1: cannot finish the PDF").arg(path);
        return false;
    }
    buffer.close();
    return writeFileAtomically(path, pdf, error);
}

} // namespace paperlab
