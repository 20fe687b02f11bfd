// Library::facetTop: the first values of a facet and the chosen ones, without ranking every
// value (an author facet of 100,000 papers has a quarter of a million names).

#include "library.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

class TestFacetCounts : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_lib;
    QList<qint64> m_ids;

    // Authors by number of papers: Ada 4, Bea 3, Cy 2, Dee 1, eve 1 (a tie, ordered by name
    // ignoring letter case), on five papers of three venues.
    void addPaper(const QString &title, const QStringList &authors, const QString &venue)
    {
        PaperRecord r;
        r.title = title;
        r.authors = authors;
        r.venue = venue;
        r.year = 2024;
        m_ids << m_lib->addPaper(r);
    }

private slots:
    void initTestCase()
    {
        m_lib = std::make_unique<Library>(m_dir.filePath(QStringLiteral("facets.sqlite")));
        addPaper(QStringLiteral("One"), {"Ada", "Bea", "Cy"}, QStringLiteral("ICML"));
        addPaper(QStringLiteral("Two"), {"Ada", "Bea", "Cy"}, QStringLiteral("ICML"));
        addPaper(QStringLiteral("Three"), {"Ada", "Bea", "eve"}, QStringLiteral("ICLR"));
        addPaper(QStringLiteral("Four"), {"Ada", "Dee"}, QStringLiteral("MLSys"));
        addPaper(QStringLiteral("Five"), {"Zed"}, QStringLiteral("MLSys"));
    }

    void topValues_data()
    {
        QTest::addColumn<int>("facet");
        QTest::addColumn<int>("top");
        QTest::addColumn<QStringList>("keep");
        QTest::addColumn<bool>("firstThreeOnly");
        QTest::addColumn<QStringList>("expected"); // "value=count"
        QTest::addColumn<int>("distinct");
        const int author = int(Facet::Author), venue = int(Facet::Venue);
        QTest::newRow("authors, all") << author << -1 << QStringList() << false
                                      << QStringList{"Ada=4", "Bea=3", "Cy=2", "Dee=1", "eve=1", "Zed=1"} << 6;
        QTest::newRow("authors, top 2") << author << 2 << QStringList() << false << QStringList{"Ada=4", "Bea=3"} << 6;
        QTest::newRow("authors, top 2 and a chosen one below") << author << 2 << QStringList{"Zed", "Dee"} << false
                                                               << QStringList{"Ada=4", "Bea=3", "Dee=1", "Zed=1"} << 6;
        QTest::newRow("authors, chosen one already in the top")
            << author << 2 << QStringList{"Bea"} << false << QStringList{"Ada=4", "Bea=3"} << 6;
        QTest::newRow("authors, a chosen name no paper has")
            << author << 1 << QStringList{"Nobody"} << false << QStringList{"Ada=4"} << 6;
        QTest::newRow("authors among three papers")
            << author << 3 << QStringList{"eve"} << true << QStringList{"Ada=3", "Bea=3", "Cy=2", "eve=1"} << 4;
        QTest::newRow("venues, top 1 and a chosen one")
            << venue << 1 << QStringList{"ICLR"} << false << QStringList{"ICML=2", "ICLR=1"} << 3;
    }

    void topValues()
    {
        QFETCH(int, facet);
        QFETCH(int, top);
        QFETCH(QStringList, keep);
        QFETCH(bool, firstThreeOnly);
        QFETCH(QStringList, expected);
        QFETCH(int, distinct);
        const QList<qint64> three = m_ids.first(3);
        const FacetCounts counts = m_lib->facetTop(Facet(facet), top, keep, firstThreeOnly ? &three : nullptr);
        QStringList got;
        for (const FacetValue &v : counts.values)
            got << QStringLiteral("%1=%2").arg(v.value).arg(v.count);
        QCOMPARE(got, expected);
        QCOMPARE(counts.distinct, distinct);
    }

    // What facetTop returns in full is what facet() returns: one order for both.
    void sameOrderAsFacet()
    {
        for (Facet f : {Facet::Author, Facet::Venue, Facet::Year, Facet::Status}) {
            const QList<FacetValue> all = m_lib->facet(f);
            const FacetCounts top = m_lib->facetTop(f, -1);
            QCOMPARE(top.values.size(), all.size());
            for (qsizetype i = 0; i < all.size(); ++i) {
                QCOMPARE(top.values[i].value, all[i].value);
                QCOMPARE(top.values[i].count, all[i].count);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestFacetCounts)
#include "tst_facetcounts.moc"
