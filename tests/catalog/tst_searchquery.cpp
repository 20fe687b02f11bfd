// The search language as a user pastes into it: titles with a colon, quoted phrases with a
// one-letter word, and the search-as-you-type trimming that must leave phrases alone.

#include "library.h"
#include "searchquery.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

class TestSearchQuery : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_lib;
    qint64 m_kivi = 0;

private slots:
    void initTestCase()
    {
        m_lib = std::make_unique<Library>(m_dir.filePath(QStringLiteral("q.sqlite")));
        PaperRecord kivi;
        kivi.title = QStringLiteral("KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache");
        kivi.abbr = QStringLiteral("KIVI");
        kivi.authors = {QStringLiteral("Zirui Liu")};
        kivi.year = 2024;
        m_kivi = m_lib->addPaper(kivi);
        PaperRecord other;
        other.title = QStringLiteral("A Survey of Tuning Methods");
        other.year = 2023;
        m_lib->addPaper(other);
    }

    void unknownFieldIsText_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("pasted title") << QStringLiteral(
            "KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache");
        QTest::newRow("name and colon") << QStringLiteral("KIVI:");
        QTest::newRow("glued word") << QStringLiteral("asymmetric:2bit");
        QTest::newRow("phrase") << QStringLiteral("\"KIVI: A Tuning-Free\"");
    }
    void unknownFieldIsText()
    {
        QFETCH(QString, query);
        const QueryParse parsed = parseSearchQuery(query);
        QVERIFY2(parsed.error.isEmpty(), qPrintable(parsed.error));
        QCOMPARE(m_lib->findIds(query), QList<qint64>{m_kivi});
    }

    void knownFieldsStillChecked_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty author") << QStringLiteral("author:") << QStringLiteral("author: needs a value");
        QTest::newRow("bad year") << QStringLiteral("year:abc") << QStringLiteral("year: 'abc'");
        QTest::newRow("bad status") << QStringLiteral("status:later") << QStringLiteral("status: 'later'");
    }
    void knownFieldsStillChecked()
    {
        QFETCH(QString, query);
        QFETCH(QString, error);
        QVERIFY2(parseSearchQuery(query).error.startsWith(error), qPrintable(parseSearchQuery(query).error));
    }

    void oneLetterWords_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("searched");
        QTest::newRow("bare letter dropped") << QStringLiteral("flash a") << QStringLiteral("flash");
        QTest::newRow("dangling operator") << QStringLiteral("pruning OR s") << QStringLiteral("pruning");
        QTest::newRow("phrase kept") << QStringLiteral("\"KIVI: A Tuning-Free\"")
                                     << QStringLiteral("\"KIVI: A Tuning-Free\"");
        QTest::newRow("phrase kept, bare dropped")
            << QStringLiteral("x \"KIVI: A Tuning-Free\" b kv") << QStringLiteral("\"KIVI: A Tuning-Free\" kv");
        QTest::newRow("open quote") << QStringLiteral("\"a b") << QStringLiteral("\"a b");
        QTest::newRow("only operators left") << QStringLiteral("a OR b") << QStringLiteral("a OR b");
    }
    void oneLetterWords()
    {
        QFETCH(QString, typed);
        QFETCH(QString, searched);
        QCOMPARE(withoutOneLetterWords(typed), searched);
    }

    void phraseWithOneLetterWordFinds()
    {
        // What the app runs for a quoted title: the same paper the CLI finds.
        const QString typed = QStringLiteral("\"KIVI: A Tuning-Free\"");
        QCOMPARE(m_lib->findIds(withoutOneLetterWords(typed)), QList<qint64>{m_kivi});
    }
};

QTEST_GUILESS_MAIN(TestSearchQuery)
#include "tst_searchquery.moc"
