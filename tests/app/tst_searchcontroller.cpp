// SearchController: results stay true to the file when someone else writes it (another
// connection, as another process would), and a word whose first screen is computed ahead
// (a wide prefix) shows the rows Library::findIds gives it. Real SQLite files and threads.

#include "apptestsupport.h"
#include "searchcontroller.h"

#include <QSignalSpy>
#include <QTest>

using namespace paperlab;
using namespace paperlab::gui;

class TestSearchController : public QObject {
    Q_OBJECT
    std::unique_ptr<testing::TestLibrary> m_lib;

    // Types `text` and waits for its complete list.
    static QList<qint64> search(SearchController &c, const QString &text)
    {
        QSignalSpy done(&c, &SearchController::resultsCompleted);
        c.setQueryText(text);
        if (!done.wait(10000))
            return {QList<qint64>{-1}};
        return done.last().at(0).value<QList<qint64>>();
    }

    static qint64 add(const QString &db, const QString &title)
    {
        Library other(db); // a connection of its own, like another process
        PaperRecord r;
        r.title = title;
        return other.addPaper(r);
    }

private slots:
    void initTestCase()
    {
        testing::isolateSettings();
        m_lib = testing::makeTestLibrary();
    }

    // Before, the worker kept the results of the last queries until this app's own refresh():
    // a paper another process added did not appear when the same words were typed again.
    void anotherWritersPaperAppears()
    {
        SearchController c(m_lib->db);
        c.setDebounce(0);
        const QList<qint64> before = search(c, QStringLiteral("quokkatron"));
        QVERIFY(before.isEmpty());
        search(c, QString());
        const qint64 id = add(m_lib->db, QStringLiteral("The quokkatron decoder"));
        QCOMPARE(search(c, QStringLiteral("quokkatron")), QList<qint64>{id});
    }

    // 1,200 terms under "wombat": the first screen is computed ahead on a thread of its own;
    // what is shown (first page, then every id) is still findIds's answer, also after a write.
    void widePrefixShowsFindIdsRows()
    {
        {
            Library lib(m_lib->db);
            for (int i = 0; i < 1200; ++i) {
                PaperRecord r;
                r.title = QStringLiteral("Paper wombat%1").arg(i);
                lib.addPaper(r);
            }
        }
        SearchController c(m_lib->db);
        c.setDebounce(0);
        search(c, QString()); // the first look starts the fill
        QTest::qWait(2500);   // the fill waits 0.3 s, then reads the terms and runs the matches
        Library lib(m_lib->db);
        SearchOptions first;
        first.limit = SearchController::kFirstPage;
        QSignalSpy shown(&c, &SearchController::resultsReady);
        QCOMPARE(search(c, QStringLiteral("wombat")), lib.findIds(QStringLiteral("wombat"), SearchOptions()));
        QVERIFY(!shown.isEmpty());
        QCOMPARE(shown.first().at(0).value<QList<qint64>>(), lib.findIds(QStringLiteral("wombat"), first));

        add(m_lib->db, QStringLiteral("Paper wombat9999")); // newest: first in a large set's order
        search(c, QString());
        shown.clear();
        QCOMPARE(search(c, QStringLiteral("Wombat")), lib.findIds(QStringLiteral("wombat"), SearchOptions()));
        QCOMPARE(shown.first().at(0).value<QList<qint64>>(), lib.findIds(QStringLiteral("wombat"), first));
    }
};

QTEST_MAIN(TestSearchController)
#include "tst_searchcontroller.moc"
