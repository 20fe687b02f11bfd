// The baseline graph over a real EfficientPaper library (tests/catalog/fixtures/efficientpaper):
// baselines from baseline.methods ("YEAR/KEY", the right one of two papers keyed DSA),
// papers that compare with this one, arXiv links in the note, and a click opens a paper.

#include "baselinegraph.h"
#include "baselinegraphview.h"
#include "library.h"

#include <QDirIterator>
#include <QFile>
#include <QGraphicsItem>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

namespace {

QStringList labels(const QList<BaselineEdge> &edges)
{
    QStringList out;
    for (const BaselineEdge &e : edges)
        out.append(e.label);
    return out;
}

} // namespace

class TestBaselineGraphView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<Library> m_lib;

    qint64 idOf(const QString &key) { return m_lib->paperByKey(key)->id; }

private slots:
    void initTestCase()
    {
        // A copy: a note saved here is written into the library's notes/ folder.
        const QString fixture = QFINDTESTDATA("../catalog/fixtures/efficientpaper");
        const QString copy = m_tmp.filePath(QStringLiteral("efficientpaper"));
        for (QDirIterator it(fixture, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
            const QString from = it.next();
            const QString to = copy + from.mid(fixture.size());
            QVERIFY(QDir().mkpath(QFileInfo(to).absolutePath()));
            QVERIFY(QFile::copy(from, to));
        }
        m_lib = std::make_unique<Library>(m_tmp.filePath(QStringLiteral("graph.sqlite")));
        m_lib->importPaths({copy});
        QCOMPARE(m_lib->paperCount(), 5);
    }

    void neighbours_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("comparesWith");
        QTest::addColumn<QStringList>("comparedBy");
        QTest::newRow("FlashAttention-2: one baseline, one paper comparing with it")
            << "FlashAttention-2"
            << QStringList{"FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"}
            << QStringList{"DeepSeek-V3.2-Exp: Boosting Long-Context Efficiency with DeepSeek Sparse Attention"};
        QTest::newRow("2022/DSA is the 2022 paper of the two keyed DSA")
            << "DSA" << QStringList()
            << QStringList{"DeepSeek-V3.2-Exp: Boosting Long-Context Efficiency with DeepSeek Sparse Attention"};
        QTest::newRow("baseline None is none") << "CacheGen" << QStringList() << QStringList();
    }

    void neighbours()
    {
        QFETCH(QString, key);
        QFETCH(QStringList, comparesWith);
        QFETCH(QStringList, comparedBy);
        const BaselineNeighbours n = baselineNeighbours(*m_lib, idOf(key));
        QCOMPARE(labels(n.comparesWith), comparesWith);
        QCOMPARE(labels(n.comparedBy), comparedBy);
        for (const BaselineEdge &e : n.comparesWith + n.comparedBy)
            QVERIFY(e.paperId > 0);
    }

    void noteLinksAreEdgesToo()
    {
        const qint64 id = idOf(QStringLiteral("CacheGen"));
        m_lib->setNote(id, QStringLiteral("Compared against [H2O](https://arxiv.org/abs/2306.14048) and "
                                          "[FlashAttention-2](https://arxiv.org/abs/2307.08691)."));
        const BaselineNeighbours n = baselineNeighbours(*m_lib, id);
        QCOMPARE(n.comparesWith.size(), 1); // H2O is not in this library
        QCOMPARE(n.comparesWith.first().paperId, idOf(QStringLiteral("FlashAttention-2")));
        QCOMPARE(n.comparesWith.first().via, BaselineEdge::Via::NoteLink);
    }

    // Clicking the baseline's box opens it and centres the graph on it.
    void clickOpensPaper()
    {
        BaselineGraphView view(*m_lib);
        view.resize(1000, 500);
        view.setPaper(idOf(QStringLiteral("FlashAttention-2")));
        QCOMPARE(view.neighbourCount(), 2);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const qint64 target = idOf(QStringLiteral("FlashAttention"));
        QGraphicsItem *box = nullptr;
        for (QGraphicsItem *item : view.scene()->items())
            if (item->data(0).toLongLong() == target)
                box = item;
        QVERIFY(box);
        QSignalSpy opened(&view, &BaselineGraphView::paperActivated);
        view.ensureVisible(box);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.mapFromScene(box->sceneBoundingRect().center()));
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().first().toLongLong(), target);
        QCOMPARE(view.paperId(), target);
    }

    void cleanupTestCase() { m_lib.reset(); }
};

QTEST_MAIN(TestBaselineGraphView)
#include "tst_baselinegraphview.moc"
