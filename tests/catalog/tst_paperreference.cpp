// Papers named from outside the library (the playground's kernels) are found by identity:
// arXiv id first, then a title, short name or key however it is spelled; a name that fits
// two papers finds none.

#include "library.h"
#include "paperreference.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

class TestPaperReference : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<Library> m_lib;

private slots:
    void initTestCase()
    {
        m_lib = std::make_unique<Library>(m_tmp.filePath(QStringLiteral("refs.sqlite")));
        m_lib->importPaths({QFINDTESTDATA("fixtures/efficientpaper")});
        QCOMPARE(m_lib->paperCount(), 5);
    }

    void parse_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("arxivId");
        QTest::addColumn<QString>("name");
        QTest::newRow("id and name") << "2307.08691 FlashAttention-2"
                                     << "2307.08691"
                                     << "FlashAttention-2";
        QTest::newRow("arXiv: prefix, version") << "arXiv:2205.14135v2"
                                                << "2205.14135"
                                                << "";
        QTest::newRow("title") << "Flash-Decoding for long-context inference"
                               << ""
                               << "Flash-Decoding for long-context inference";
    }

    void parse()
    {
        QFETCH(QString, reference);
        QFETCH(QString, arxivId);
        QFETCH(QString, name);
        const PaperReference r = PaperReference::parse(reference);
        QCOMPARE(r.arxivId, arxivId);
        QCOMPARE(r.name, name);
    }

    void find_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("key"); // empty: no paper
        QTest::newRow("arXiv id, whatever the name") << "2307.08691 flashattention2"
                                                     << "FlashAttention-2";
        QTest::newRow("bundle's key, spelled otherwise here") << "flashattention2"
                                                              << "FlashAttention-2";
        QTest::newRow("arXiv id alone") << "arXiv:2205.14135"
                                        << "FlashAttention";
        QTest::newRow("full title")
            << "CacheGen: KV Cache Compression and Streaming for Fast Large Language Model Serving"
            << "CacheGen";
        QTest::newRow("short name two papers share") << "DSA"
                                                     << "";
        QTest::newRow("unknown") << "2401.99999 Nothing"
                                 << "";
    }

    void find()
    {
        QFETCH(QString, reference);
        QFETCH(QString, key);
        const auto id = findPaper(*m_lib, reference);
        if (key.isEmpty()) {
            QVERIFY(!id);
            return;
        }
        QVERIFY(id);
        QCOMPARE(m_lib->paper(*id)->key, key);
    }

    void cleanupTestCase() { m_lib.reset(); }
};

QTEST_GUILESS_MAIN(TestPaperReference)
#include "tst_paperreference.moc"
