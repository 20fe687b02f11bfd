// The wide prefixes of search as you type (catalog/wideprefixes.h): which typed words have a
// first screen computed ahead, which prefixes of the search index are wide, and that a page
// computed ahead is exactly what Library::findIds returns for the word. Real SQLite files.

#include "library.h"
#include "wideprefixes.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

class TestWidePrefixes : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_lib;

    void add(const QString &title)
    {
        PaperRecord r;
        r.title = title;
        m_lib->addPaper(r);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_lib = std::make_unique<Library>(m_dir.filePath(QStringLiteral("index.sqlite")));
        // Under "qzxa": qzxa1..qzxa5 and qzxa10..qzxa14 (10 terms); under "qzxa1": 6 of them;
        // under "qzxb": 2; "qzx" is served by the index's 3-letter prefix index.
        for (int i : {1, 2, 3, 4, 5, 10, 11, 12, 13, 14})
            add(QStringLiteral("Sparse attention qzxa%1").arg(i));
        add(QStringLiteral("Decoding qzxb1"));
        add(QStringLiteral("Decoding qzxb2 qzxaé")); // folded to qzxae by the tokenizer: an 11th term under "qzxa"
    }

    void keyOfTypedText_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("key");
        QTest::newRow("word") << QStringLiteral("auth") << QStringLiteral("auth");
        QTest::newRow("capitals") << QStringLiteral("Author1") << QStringLiteral("author1");
        QTest::newRow("spaces around") << QStringLiteral("  qzxa ") << QStringLiteral("qzxa");
        QTest::newRow("three letters") << QStringLiteral("aut") << QString();
        QTest::newRow("two words") << QStringLiteral("auth kern") << QString();
        QTest::newRow("accent") << QStringLiteral("zoë1") << QString();
        QTest::newRow("star") << QStringLiteral("auth*") << QString();
        QTest::newRow("field") << QStringLiteral("year:2024") << QString();
        QTest::newRow("FTS5 keyword") << QStringLiteral("NEAR") << QString();
        QTest::newRow("the word near") << QStringLiteral("near") << QStringLiteral("near");
    }
    void keyOfTypedText()
    {
        QFETCH(QString, typed);
        QFETCH(QString, key);
        QCOMPARE(widePrefixKey(typed), key);
    }

    void widePrefixesOfTheIndex_data()
    {
        QTest::addColumn<int>("minTerms");
        QTest::addColumn<QStringList>("prefixes");
        QTest::newRow("6 terms") << 6 << QStringList{"qzxa", "qzxa1"};
        QTest::newRow("7 terms") << 7 << QStringList{"qzxa"};
        QTest::newRow("11 terms") << 11 << QStringList{"qzxa"};
        QTest::newRow("12 terms") << 12 << QStringList{};
    }
    void widePrefixesOfTheIndex()
    {
        QFETCH(int, minTerms);
        QFETCH(QStringList, prefixes);
        QCOMPARE(wideSearchPrefixes(*m_lib, minTerms), prefixes);
    }

    void pagesAreWhatFindIdsReturns()
    {
        const auto pages = firstPagesOfWidePrefixes(*m_lib, 4, nullptr, 6);
        QCOMPARE(pages.size(), 2);
        SearchOptions first;
        first.limit = 4;
        for (const QString &prefix : {QStringLiteral("qzxa"), QStringLiteral("qzxa1")}) {
            QVERIFY(pages.contains(prefix));
            QCOMPARE(pages.value(prefix).size(), 4);
            QCOMPARE(pages.value(prefix), m_lib->findIds(prefix, first));
        }
    }

    // The pages so far after each prefix, the widest first: a fill can hand the slowest
    // prefixes' pages over before the rest are done.
    void pagesSoFarAfterEachPrefix()
    {
        QList<QStringList> seen;
        const auto pages = firstPagesOfWidePrefixes(*m_lib, 4, nullptr, 6, [&](const WidePrefixPages &soFar) {
            QStringList keys = soFar.keys();
            keys.sort();
            seen.append(keys);
        });
        QCOMPARE(seen, (QList<QStringList>{{"qzxa"}, {"qzxa", "qzxa1"}}));
        QCOMPARE(pages.size(), 2);
    }

    void stopsWhenAsked()
    {
        const std::atomic_bool stop{true};
        QVERIFY(firstPagesOfWidePrefixes(*m_lib, 4, &stop, 6).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestWidePrefixes)
#include "tst_wideprefixes.moc"
