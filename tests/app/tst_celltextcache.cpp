// The paper table's plain cells drawn from laid-out text kept between paints (CellTextCache):
// the same pixels as the style's own drawing, elided as the style elides, each layout made
// once and reused, and memory bounded however many distinct cells go by.

#include "apptestsupport.h"
#include "celltextcache.h"
#include "papertablemodel.h"
#include "papertableview.h"

#include <QFontMetrics>
#include <QImage>
#include <QPainter>
#include <QStyledItemDelegate>

using namespace paperlab;
using namespace paperlab::gui;

namespace {

// Pixels that differ between two images of one size.
int differingPixels(const QImage &a, const QImage &b)
{
    int n = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            n += a.pixel(x, y) != b.pixel(x, y);
    return n;
}

QImage canvas()
{
    QImage image(300, 30, QImage::Format_RGB32);
    image.fill(Qt::white);
    return image;
}

} // namespace

class TestCellTextCache : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { testing::isolateSettings(); }

    // The whole table through PaperTableView's delegate and through the plain style delegate:
    // with no search (no title marked) every column is the same image.
    void cellsLookAsTheStyleDrawsThem_data()
    {
        QTest::addColumn<int>("column");
        QTest::newRow("title") << int(PaperTableModel::Title); // no search: nothing marked
        QTest::newRow("short name") << int(PaperTableModel::Abbr);
        QTest::newRow("venue") << int(PaperTableModel::Venue);
        QTest::newRow("year") << int(PaperTableModel::Year);
        QTest::newRow("institutions") << int(PaperTableModel::Institutions);
        QTest::newRow("topics") << int(PaperTableModel::Topics);
        QTest::newRow("status") << int(PaperTableModel::Status);
        QTest::newRow("rating") << int(PaperTableModel::Rating);
        QTest::newRow("authors") << int(PaperTableModel::Authors);
    }
    void cellsLookAsTheStyleDrawsThem()
    {
        QFETCH(int, column);
        const auto lib = testing::makeTestLibrary();
        Library library(lib->db);
        PaperTableModel model(&library);
        model.setIds(library.findIds(QString()), QString());
        QVERIFY(model.rowCount() > 5);
        auto grabColumn = [&](bool plainDelegate) {
            PaperTableView view;
            if (plainDelegate)
                view.setItemDelegate(new QStyledItemDelegate(&view));
            view.setModel(&model);
            view.resize(1200, 400);
            for (int c = 0; c < PaperTableModel::ColumnCount; ++c)
                view.setColumnWidth(c, c == PaperTableModel::Title ? 400 : 90); // narrow: some cells elide
            view.show();
            if (!QTest::qWaitForWindowExposed(&view))
                return QImage();
            view.selectRow(1); // a selected row's text colour too
            const QRect rect(view.columnViewportPosition(column), 0, view.columnWidth(column),
                             view.viewport()->height());
            return view.viewport()->grab(rect).toImage().convertToFormat(QImage::Format_RGB32);
        };
        const QImage ours = grabColumn(false), style = grabColumn(true);
        QVERIFY(!ours.isNull() && ours.size() == style.size());
        QCOMPARE(differingPixels(ours, style), 0);
    }

    // A text wider than its room ends in "…" where QFontMetrics::elidedText cuts it, and no ink
    // falls outside the room.
    void elidesWhereTheStyleWould()
    {
        const QString text = QStringLiteral("SKVQ: Sliding-window Key and Value Cache Quantization for LLMs");
        QFont font;
        font.setStyleStrategy(QFont::NoAntialias);
        const QRect room(10, 0, 150, 30);
        QImage ours = canvas(), plain = canvas();
        {
            QPainter p(&ours);
            p.setPen(Qt::black);
            CellTextCache cache;
            cache.draw(&p, room, text, font, Qt::AlignLeft | Qt::AlignVCenter);
        }
        {
            QPainter p(&plain);
            p.setPen(Qt::black);
            p.setFont(font);
            p.drawText(room, Qt::AlignLeft | Qt::AlignVCenter,
                       QFontMetrics(font, &plain).elidedText(text, Qt::ElideRight, room.width()));
        }
        QCOMPARE(differingPixels(ours, plain), 0);
        for (int y = 0; y < ours.height(); ++y)
            for (int x = room.right() + 1; x < ours.width(); ++x)
                QVERIFY2(ours.pixel(x, y) == qRgb(255, 255, 255), "ink beyond the cell");
    }

    // Repainting a cell reuses its layout; another width or font is another layout; the cache
    // starts again past its capacity instead of growing.
    void layoutsAreKeptAndBounded()
    {
        QImage image = canvas();
        QPainter p(&image);
        CellTextCache cache;
        const QFont font;
        cache.draw(&p, QRect(0, 0, 200, 30), QStringLiteral("FlashAttention-2"), font, Qt::AlignLeft);
        cache.draw(&p, QRect(0, 0, 200, 30), QStringLiteral("FlashAttention-2"), font, Qt::AlignLeft);
        QCOMPARE(cache.size(), 1);
        cache.draw(&p, QRect(0, 0, 120, 30), QStringLiteral("FlashAttention-2"), font, Qt::AlignLeft);
        QFont bold = font;
        bold.setBold(true);
        cache.draw(&p, QRect(0, 0, 200, 30), QStringLiteral("FlashAttention-2"), bold, Qt::AlignLeft);
        QCOMPARE(cache.size(), 3);
        for (int i = 0; i < CellTextCache::kCapacity + 10; ++i)
            cache.draw(&p, QRect(0, 0, 200, 30), QString::number(i), font, Qt::AlignLeft);
        QVERIFY(cache.size() <= CellTextCache::kCapacity);
        QVERIFY(cache.size() > 0);
    }
};

QTEST_MAIN(TestCellTextCache)
#include "tst_celltextcache.moc"
