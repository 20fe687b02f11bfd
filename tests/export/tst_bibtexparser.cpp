// The BibTeX reader: the shapes real .bib files take, and broken files that must give
// file:line errors while the library stays as it was.

#include "exportfixtures.h"
#include "importers/bibteximporter.h"

#include <QFile>

using namespace paperlab;
using namespace paperlab::testing;

class TestBibtexParser : public QObject {
    Q_OBJECT

private slots:
    void readsTheCommonShapes()
    {
        const QString text = QStringLiteral(R"BIB(% a comment line
@string{neurips = "Advances in Neural Information Processing Systems (NeurIPS)"}
@comment{jabref-meta: databaseType:bibtex;}
@inproceedings{dao2022flashattention,
  title     = {{FlashAttention}: Fast and Memory-Efficient Exact Attention with {IO}-Awareness},
  author    = {Dao, Tri and Fu, Daniel Y. and R{\'e}, Christopher},
  booktitle = neurips # " 2022",
  year      = 2022,
}
@article{kwon2023efficient,
  title = "Efficient Memory Management for Large Language Model Serving with {PagedAttention}",
  author = "Woosuk Kwon and others",
  journal = {arXiv preprint arXiv:2309.06180},
  year = {2023}
}
@misc{x, title={Nested {braces {deep}} and 50\% \& more}, eprint={2401.00001}, archivePrefix={arXiv}}
)BIB");
        const ImportBatch b = parseBibTeX(text, QStringLiteral("refs.bib"));
        QCOMPARE(b.errorCount(), 0);
        QCOMPARE(b.papers.size(), 3);
        const PaperRecord &flash = b.papers[0];
        QCOMPARE(flash.title,
                 QStringLiteral("FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"));
        QCOMPARE(flash.authors, (QStringList{QStringLiteral("Tri Dao"), QStringLiteral("Daniel Y. Fu"),
                                             QStringLiteral("Christopher Ré")}));
        QCOMPARE(flash.venue, QStringLiteral("NeurIPS"));
        QCOMPARE(flash.year, 2022);
        QCOMPARE(flash.source.line, 4);
        QCOMPARE(flash.source.format, QStringLiteral("bibtex"));
        const PaperRecord &paged = b.papers[1];
        QCOMPARE(paged.arxivId, QStringLiteral("2309.06180"));
        QCOMPARE(paged.venue, QStringLiteral("arXiv"));
        QCOMPARE(paged.authors, QStringList{QStringLiteral("Woosuk Kwon")});
        QCOMPARE(b.papers[2].title, QStringLiteral("Nested braces deep and 50% & more"));
        QCOMPARE(b.papers[2].arxivId, QStringLiteral("2401.00001"));
        QCOMPARE(b.papers[2].year, 2024);
    }

    void brokenEntriesNameFileAndLine()
    {
        const QString text = QStringLiteral("@article{good1, title={First}, year=2020}\n"  // 1
                                            "@article{bad1, title={Unclosed, year=2021}\n" // 2: brace never closes
                                            "\n"
                                            "@article{bad2, title {Missing equals}}\n"     // 4
                                            "@article{good2, title={Second}, year=2022}\n" // 5
                                            "@article{notitle, year=2023}\n");             // 6
        const ImportBatch b = parseBibTeX(text, QStringLiteral("broken.bib"));
        QStringList titles;
        for (const PaperRecord &r : b.papers)
            titles << r.title;
        QCOMPARE(titles, (QStringList{QStringLiteral("First"), QStringLiteral("Second")}));
        QCOMPARE(b.errorCount(), 3);
        QList<int> lines;
        for (const Diagnostic &d : b.diagnostics) {
            QCOMPARE(d.file, QStringLiteral("broken.bib"));
            lines << d.line;
        }
        QCOMPARE(lines, (QList<int>{2, 4, 6}));
        QVERIFY(b.diagnostics[0].toString().startsWith(QLatin1String("broken.bib:2:")));
    }

    // Found by fuzz_bibtex: an error on the first line had its column counted back from the
    // end of the text ("x.bib:1:-40"), because lastIndexOf(c, -1) searches from the end.
    void errorColumnCountsFromLineStart_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        // An entry that never closes is reported at its '@'.
        QTest::newRow("first line, first column") << "@article{a, title={T}\n\n\n" << 1 << 1;
        QTest::newRow("first line, indented") << "  @article{a, title={T}\n\n\n" << 1 << 3;
        QTest::newRow("second line") << "\n@article{a, title={T}\n\n" << 2 << 1;
    }

    void errorColumnCountsFromLineStart()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        const ImportBatch b = parseBibTeX(text, QStringLiteral("x.bib"));
        QCOMPARE(b.errorCount(), 1);
        QCOMPARE(b.diagnostics.first().line, line);
        QCOMPARE(b.diagnostics.first().column, column);
    }

    void malformedFileKeepsLibraryIntact()
    {
        QTemporaryDir tmp;
        auto lib = bundledLibrary(tmp);
        const int before = lib->paperCount();
        const auto skvq = lib->paperByKey(QStringLiteral("SKVQ"));
        QVERIFY(skvq);
        const QString path = tmp.filePath(QStringLiteral("bad.bib"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("@inproceedings{skvq, title = {SKVQ: Sliding-window Key and Value Cache Quantization for Large "
                "Language Models},\n"
                "  booktitle = {COLM\n  year = 2024\n");
        f.close();
        const ImportReport r = lib->importPaths({path});
        QVERIFY(r.errors() > 0);
        QVERIFY(r.diagnostics.first().toString().startsWith(path + QStringLiteral(":")));
        QCOMPARE(lib->paperCount(), before);
        QCOMPARE(lib->paperByKey(QStringLiteral("SKVQ"))->venue, skvq->venue);
        QCOMPARE(lib->paperByKey(QStringLiteral("SKVQ"))->title, skvq->title);
    }

    void mergesIntoExistingPaper()
    {
        QTemporaryDir tmp;
        auto lib = bundledLibrary(tmp);
        const QString path = tmp.filePath(QStringLiteral("skvq.bib"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("@inproceedings{duanmu2024skvq,\n  title = {{SKVQ}: Sliding-window Key and Value Cache Quantization "
                "for Large Language Models},\n"
                "  author = {Duanmu, Haojie and Yuan, Zhihang},\n  booktitle = {COLM},\n  year = {2024}\n}\n");
        f.close();
        const int before = lib->paperCount();
        const ImportReport r = lib->importPaths({path});
        QCOMPARE(r.errors(), 0);
        QCOMPARE(r.added, 0);
        QCOMPARE(r.merged, 1);
        QCOMPARE(lib->paperCount(), before);
        QVERIFY(lib->paperByKey(QStringLiteral("SKVQ"))->authors.contains(QStringLiteral("Haojie Duanmu")));
    }
};

QTEST_GUILESS_MAIN(TestBibtexParser)
#include "tst_bibtexparser.moc"
