// detectFormat / parseSource: each seed is recognised and read through the one entry point.

#include "seedfiles.h"

#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::testing;

Q_DECLARE_METATYPE(paperlab::SourceFormat)

class TestDetect : public QObject {
    Q_OBJECT

    static QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
    {
        const QString path = dir.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(content);
        return path;
    }

private slots:
    void seeds_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<SourceFormat>("format");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("papers");

        QTest::newRow("000") << "000" << SourceFormat::TopicList << "topic-list" << 25;
        QTest::newRow("001") << "001" << SourceFormat::MonthlyList << "monthly-list" << 17;
        QTest::newRow("002") << "002" << SourceFormat::CheckboxList << "checkbox-list" << 11;
        QTest::newRow("003") << "003" << SourceFormat::KeyPointNotes << "keypoint-notes" << 5;
        QTest::newRow("004") << "004" << SourceFormat::ReadmeView << "readme-view" << 295;
    }

    void seeds()
    {
        QFETCH(QString, prefix);
        QFETCH(SourceFormat, format);
        QFETCH(QString, name);
        QFETCH(int, papers);

        const QString path = seedPath(prefix);
        QVERIFY2(!path.isEmpty(), "seed not found in PAPERLAB_SEEDS_DIR");
        QCOMPARE(detectFormat(path), format);
        QCOMPARE(sourceFormatName(format), name);
        const ImportBatch b = parseSource(path);
        QCOMPARE(b.papers.size(), papers);
        QCOMPARE(b.errorCount(), 0);
        QCOMPARE(b.papers.first().source.file, path);
        QCOMPARE(b.papers.first().source.format, name);
    }

    void readmePathsResolveAgainstItsFolder()
    {
        const QString path = seedPath(QStringLiteral("004"));
        const ImportBatch b = parseSource(path);
        const PaperRecord *r = findByTitle(b, QStringLiteral("Training LLMs with MXFP4"));
        QVERIFY(r);
        QCOMPARE(r->notePath, QFileInfo(path).absolutePath() + QStringLiteral("/notes/2025/MXFP4Train/note.md"));
    }

    void otherSources()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bib = write(dir, QStringLiteral("refs.bib"), "@article{x, title={T}}\n");
        QCOMPARE(detectFormat(bib), SourceFormat::BibTeX);
        const ImportBatch b = parseSource(bib);
        QCOMPARE(b.papers.size(), 1); // parsed by the BibTeX importer (tests/export covers it)
        QCOMPARE(b.papers.first().title, QStringLiteral("T"));
        QCOMPARE(b.errorCount(), 0);

        QCOMPARE(detectFormat(write(dir, QStringLiteral("x.prototxt"), "paper { title: \"T\" }\n")),
                 SourceFormat::PrototxtFile);
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("lib/meta/2024")));
        QCOMPARE(detectFormat(dir.filePath(QStringLiteral("lib"))), SourceFormat::EfficientPaperFolder);
        QCOMPARE(detectFormat(dir.path()), SourceFormat::Unknown);

        const QString prose = write(dir, QStringLiteral("prose.txt"), "Just some words.\nNothing else.\n");
        QCOMPARE(detectFormat(prose), SourceFormat::Unknown);
        QCOMPARE(parseSource(prose).errorCount(), 1);
        QCOMPARE(parseSource(dir.filePath(QStringLiteral("missing.md"))).errorCount(), 1);

        // Content decides, not the name; CRLF line ends and a BOM are fine.
        const QString crlf =
            write(dir, QStringLiteral("list.md"),
                  "\xEF\xBB\xBF## Kernel\r\n- [X] [[2205.14135] FlashAttention](https://arxiv.org/abs/2205.14135)\r\n");
        QCOMPARE(detectFormat(crlf), SourceFormat::CheckboxList);
        const ImportBatch c = parseSource(crlf);
        QCOMPARE(c.papers.size(), 1);
        QCOMPARE(c.papers.first().title, QStringLiteral("FlashAttention"));
        QCOMPARE(c.papers.first().source.line, 2);
    }
};

QTEST_GUILESS_MAIN(TestDetect)
#include "tst_detect.moc"
