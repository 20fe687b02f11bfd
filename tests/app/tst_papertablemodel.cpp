// The paper table model over real seed data: structurally checked by
// QAbstractItemModelTester, rows read lazily a page at a time, sorting done in SQL.

#include "apptestsupport.h"
#include "papersortproxy.h"
#include "papertablemodel.h"
#include "searchcontroller.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace paperlab;
using namespace paperlab::gui;

class TestPaperTableModel : public QObject {
    Q_OBJECT
    std::unique_ptr<testing::TestLibrary> m_lib;
    std::unique_ptr<Library> m_library;

private slots:
    void init()
    {
        m_lib = testing::makeTestLibrary();
        m_library = std::make_unique<Library>(m_lib->db);
    }
    void cleanup()
    {
        m_library.reset();
        m_lib.reset();
    }

    void modelTester()
    {
        PaperTableModel model(m_library.get());
        PaperSortProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setIds(m_library->findIds(QString()));
        QVERIFY(model.rowCount() >= 300);
        QCOMPARE(proxy.rowCount(), model.rowCount());
        model.setIds(m_library->findIds(QStringLiteral("attention")), QStringLiteral("attention"));
        QVERIFY(model.rowCount() > 5);
        // A first page, then the complete list appended (the search thread's two steps).
        const QList<qint64> all = m_library->findIds(QString());
        model.setIds(all.mid(0, 200));
        model.extendIds(all);
        QCOMPARE(model.rowCount(), all.size());
        QCOMPARE(model.idAt(250), all[250]);
        model.setIds({});
        QCOMPARE(model.rowCount(), 0);
    }

    void rowsMatchSummaries_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("all") << QString();
        QTest::newRow("kv cache") << QStringLiteral("topic:kv_cache");
        QTest::newRow("sage") << QStringLiteral("sagea");
    }
    void rowsMatchSummaries()
    {
        QFETCH(QString, query);
        PaperTableModel model(m_library.get());
        const QList<qint64> ids = m_library->findIds(query);
        model.setIds(ids, query);
        const QList<PaperSummary> expected = m_library->summaries(ids);
        QHash<qint64, PaperSummary> byId;
        for (const PaperSummary &s : expected)
            byId.insert(s.id, s);
        // Rows across several pages, in the order of the ids.
        for (int row = 0; row < model.rowCount(); row += 37) {
            const qint64 id = model.index(row, 0).data(PaperTableModel::IdRole).toLongLong();
            QCOMPARE(id, ids[row]);
            QCOMPARE(model.index(row, PaperTableModel::Title).data().toString(), byId[id].title);
            QCOMPARE(model.index(row, PaperTableModel::Venue).data().toString(), byId[id].venue);
        }
    }

    void highlightsMatches()
    {
        PaperTableModel model(m_library.get());
        model.setIds(m_library->findIds(QStringLiteral("SKVQ")), QStringLiteral("SKVQ"));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.index(0, 0)
                    .data(PaperTableModel::HighlightedTitleRole)
                    .toString()
                    .contains(QLatin1String("<b>SKVQ</b>")));
    }

    void editsStatusAndRating()
    {
        PaperTableModel model(m_library.get());
        model.setIds(m_library->findIds(QStringLiteral("SKVQ")));
        QSignalSpy edited(&model, &PaperTableModel::paperEdited);
        QVERIFY(model.setData(model.index(0, PaperTableModel::Status), int(ReadingStatus::Read)));
        QVERIFY(model.setData(model.index(0, PaperTableModel::Rating), 4));
        QVERIFY(!model.setData(model.index(0, PaperTableModel::Rating), 9));
        QCOMPARE(edited.count(), 2);
        const auto p = m_library->paper(model.idAt(0));
        QCOMPARE(p->status, ReadingStatus::Read);
        QCOMPARE(p->rating, 4);
        QCOMPARE(model.index(0, PaperTableModel::Rating).data().toString(), ratingStars(4));
    }

    void proxySortRequeriesSql()
    {
        PaperTableModel model(m_library.get());
        PaperSortProxy proxy;
        proxy.setSourceModel(&model);
        SearchController search(m_lib->db);
        search.setDebounce(0);
        connect(&search, &SearchController::resultsReady, &model,
                [&](const QList<qint64> &ids, const QString &q) { model.setIds(ids, q); });
        connect(&search, &SearchController::resultsCompleted, &model, &PaperTableModel::extendIds);
        connect(&proxy, &PaperSortProxy::sortRequested, &search, &SearchController::setSort);
        QSignalSpy results(&search, &SearchController::resultsCompleted);
        proxy.sort(PaperTableModel::Year, Qt::DescendingOrder);
        QVERIFY(results.wait(5000));
        QVERIFY(model.rowCount() > 300);
        int previous = 9999;
        for (int row = 0; row < proxy.rowCount(); row += 11) {
            const int year = proxy.index(row, PaperTableModel::Year).data().toInt();
            if (year == 0)
                continue; // unknown years sort last
            QVERIFY(year <= previous);
            previous = year;
        }
        proxy.sort(PaperTableModel::Title, Qt::AscendingOrder);
        QVERIFY(results.wait(5000));
        const QString first = proxy.index(0, PaperTableModel::Title).data().toString();
        const QString second = proxy.index(1, PaperTableModel::Title).data().toString();
        QVERIFY(first.compare(second, Qt::CaseInsensitive) <= 0);
    }

    void staleResultsDropped()
    {
        SearchController search(m_lib->db);
        search.setDebounce(0);
        QSignalSpy results(&search, &SearchController::resultsReady);
        // Typed fast: only the last text's results may come back.
        for (const char *t : {"s", "sk", "skv", "skvq"})
            search.setQueryText(QString::fromLatin1(t));
        QTRY_VERIFY(results.count() >= 1);
        QTest::qWait(100);
        QCOMPARE(results.last().at(1).toString(), QStringLiteral("skvq"));
        QCOMPARE(results.last().at(0).value<QList<qint64>>().size(), 1);
    }

    void invalidQueryReported()
    {
        SearchController search(m_lib->db);
        search.setDebounce(0);
        QSignalSpy errors(&search, &SearchController::queryError);
        search.setQueryText(QStringLiteral("\"unbalanced"));
        QTRY_COMPARE(errors.count(), 1);
        QVERIFY(!errors.first().at(0).toString().isEmpty());
    }
};

QTEST_MAIN(TestPaperTableModel)
#include "tst_papertablemodel.moc"
