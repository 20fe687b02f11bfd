// The importers on inputs that once made them quadratic (issue 10): a 100,000-entry .bib,
// 200,000 broken .bib lines, one 1 MB Markdown line of nested brackets, a prototxt with
// thousands of unknown keywords. Each is checked for what it reads (counts, line numbers);
// the time taken is printed, never asserted (catalog/bench/parserbench.cpp measures it).
// Cancelling: a flag set from another thread stops the parser between records.

#include "../../catalog/bench/pathologicalinputs.h"
#include "../../catalog/exporters/efficientpaperwriter.h"
#include "../../catalog/importers/bibteximporter.h"
#include "../../catalog/importers/importers.h"
#include "library.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace paperlab;

namespace {

void printTime(const char *what, const QElapsedTimer &t)
{
    qInfo("%s: %.2f s", what, double(t.nsecsElapsed()) / 1e9);
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QString &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text.toUtf8()) < 0)
        return {};
    return path;
}

// Sets `flag` from another thread once `delayMs` have passed; joined on destruction.
class DelayedCancel {
public:
    DelayedCancel(std::atomic_bool &flag, int delayMs)
        : m_thread([&flag, delayMs] {
            std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
            flag = true;
        })
    {}
    ~DelayedCancel() { m_thread.join(); }

private:
    std::thread m_thread;
};

} // namespace

class TestParserScaling : public QObject {
    Q_OBJECT

private slots:
    void hundredThousandBibEntries()
    {
        constexpr int n = 100000;
        const QString text = pathological::bibEntries(n);
        QElapsedTimer t;
        t.start();
        const ImportBatch b = parseBibTeX(text, QStringLiteral("big.bib"));
        printTime("100,000-entry .bib", t);
        QCOMPARE(b.papers.size(), n);
        QCOMPARE(b.diagnostics.size(), 0);
        for (int i : {0, 1, 4999, 50000, n - 1}) {
            QCOMPARE(b.papers[i].title, QStringLiteral("Paper %1").arg(i));
            QCOMPARE(b.papers[i].source.line, pathological::kBibLinesPerEntry * i + 1);
        }
    }

    void twoHundredThousandBibErrorLines()
    {
        constexpr int n = 200000;
        const QString text = pathological::bibErrorLines(n);
        QElapsedTimer t;
        t.start();
        const ImportBatch b = parseBibTeX(text, QStringLiteral("broken.bib"));
        printTime("200,000 broken .bib lines", t);
        QCOMPARE(b.papers.size(), 0);
        QCOMPARE(b.errorCount(), n);
        for (int i : {0, 1, 777, 150000, n - 1}) {
            QCOMPARE(b.diagnostics[i].line, i + 1);
            QCOMPARE(b.diagnostics[i].file, QStringLiteral("broken.bib"));
        }
    }

    // Values that never close used to be copied to the end of the file for each entry.
    void unclosedValuesStopAtTheNextEntry()
    {
        const QString text = QStringLiteral("@article{a, title = {Never closed,\n"
                                            "@article{b, title = \"Never closed either,\n"
                                            "@article{c, title = {Fine}}\n"
                                            "}}}\"\n");
        const ImportBatch b = parseBibTeX(text, QStringLiteral("x.bib"));
        QCOMPARE(b.papers.size(), 1);
        QCOMPARE(b.papers[0].title, QStringLiteral("Fine"));
        QCOMPARE(b.papers[0].source.line, 3);
        QCOMPARE(b.errorCount(), 2);
        QCOMPARE(b.diagnostics[0].line, 1);
        QCOMPARE(b.diagnostics[1].line, 2);
    }

    // Nested @string macros double a value per level: refused, not expanded to gigabytes.
    void macroBombIsRefused()
    {
        QString text = QStringLiteral("@string{m0 = \"xxxxxxxxxxxxxxxx\"}\n");
        for (int i = 1; i <= 40; ++i)
            text += QStringLiteral("@string{m%1 = m%2 # m%2}\n").arg(i).arg(i - 1);
        text += QStringLiteral("@article{k, title = m40}\n@article{ok, title = {Still read}}\n");
        const ImportBatch b = parseBibTeX(text, QStringLiteral("bomb.bib"));
        QStringList titles;
        for (const PaperRecord &r : b.papers) {
            QVERIFY2(r.title.size() < 1000, qPrintable(QString::number(r.title.size())));
            titles << r.title;
        }
        QVERIFY2(titles.contains(QStringLiteral("Still read")), qPrintable(titles.join(QLatin1Char('|'))));
        QVERIFY(b.errorCount() >= 1);
        const Diagnostic &first = b.diagnostics.first();
        QVERIFY2(first.message.contains(QLatin1String("longer than")) ||
                     first.message.contains(QLatin1String("expand to more than")),
                 qPrintable(first.toString()));
    }

    void megabyteLineOfNestedBrackets_data()
    {
        QTest::addColumn<int>("pairs");
        QTest::newRow("400k pairs (800k brackets)") << 400000;
    }

    void megabyteLineOfNestedBrackets()
    {
        QFETCH(int, pairs);
        const QString text = pathological::nestedBracketList(pairs);
        QVERIFY(text.size() > 1024 * 1024);
        QElapsedTimer t;
        t.start();
        const ImportBatch b = parseCheckboxList(text, QStringLiteral("nested.md"));
        printTime("1 MB line of nested brackets", t);
        QCOMPARE(b.papers.size(), 1);
        QCOMPARE(b.papers[0].title, QStringLiteral("Real title"));
        QCOMPARE(b.papers[0].paperUrl, QStringLiteral("https://example.org/real"));
        QCOMPARE(b.papers[0].source.line, 2);
    }

    // Megabyte lines of other shapes that made a pattern retry the rest of the line from
    // each character.
    void megabyteLinesOfOtherShapes_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QStringList>("authors");
        const QString blanks(1024 * 1024, QLatin1Char(' '));
        QTest::newRow("monthly list, a megabyte of blanks among the authors")
            << "monthly.md"
            << "- **Real title**. Ann" + blanks + "Bo et.al. **ICML**, **2024**, ([link](https://x.org/1))\n"
            << "Real title" << QStringList{"Ann Bo"};
        QTest::newRow("readme view, a line of 300,000 unclosed <summary> tags")
            << "README.md"
            << "| Meta | Title | Cover | Publish | Code | Note |\n|---|---|---|---|---|---|\n" +
                   QStringLiteral("<summary>").repeated(300000) +
                   "\n| Meta | Title | Cover | Publish | Code | Note |\n|---|---|---|---|---|---|\n"
                   "| [K](./meta/2024/K.prototxt) | [Real title](https://x.org/1) | | | | |\n"
            << "Real title" << QStringList{};
    }

    void megabyteLinesOfOtherShapes()
    {
        QFETCH(QString, fileName);
        QFETCH(QString, text);
        QFETCH(QString, title);
        QFETCH(QStringList, authors);
        QTemporaryDir dir;
        const QString path = writeFile(dir, fileName, text);
        QElapsedTimer t;
        t.start();
        const ImportBatch b = parseSource(path);
        printTime(QTest::currentDataTag(), t);
        QCOMPARE(b.papers.size(), 1);
        QCOMPARE(b.papers[0].title, title);
        QCOMPARE(b.papers[0].authors, authors);
    }

    void prototxtWithThousandsOfUnknownKeywords_data()
    {
        QTest::addColumn<bool>("listForm");
        QTest::newRow("one per line") << false;
        QTest::newRow("one list") << true;
    }

    void prototxtWithThousandsOfUnknownKeywords()
    {
        QFETCH(bool, listForm);
        constexpr int n = 100000;
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("Many.prototxt"),
                                       listForm ? pathological::prototxtUnknownKeywordList(n)
                                                : pathological::prototxtUnknownKeywords(n));
        QElapsedTimer t;
        t.start();
        const ImportBatch b = parsePrototxtFile(path);
        printTime(listForm ? "prototxt, 100,000 unknown keywords in a list" : "prototxt, 100,000 unknown keyword lines",
                  t);
        QCOMPARE(b.papers.size(), 1);
        QCOMPARE(b.papers[0].topics.size(), n);
        QCOMPARE(b.warningCount(), n);
        for (int i : {0, 1, 12345, 99999}) {
            QVERIFY(b.diagnostics[i].message.contains(QStringLiteral("'unknown_word_%1'").arg(i)));
            QCOMPARE(b.diagnostics[i].line, listForm ? 4 : i + 4);
        }
    }

    // 100,000 fields no schema knows, inside paper {} and on one line: all kept in their
    // block, no warning, and written back into it (each one's column is looked up, not
    // searched for back along the line).
    void prototxtWithThousandsOfUnknownNestedFields()
    {
        constexpr int n = 100000;
        QString text = QStringLiteral("paper { title: \"T\"");
        for (int i = 0; i < n; ++i)
            text += QStringLiteral(" f%1: %1").arg(i);
        text += QStringLiteral(" }\n");
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("Nested.prototxt"), text);
        QElapsedTimer t;
        t.start();
        const ImportBatch b = parsePrototxtFile(path);
        printTime("prototxt, 100,000 unknown fields inside paper {} on one line", t);
        QCOMPARE(b.papers.size(), 1);
        QVERIFY(b.diagnostics.isEmpty());
        QCOMPARE(b.papers[0].extraFields.count(QLatin1Char('\n')), n + 1); // "paper {", the fields, "}"
        Paper p;
        p.title = QStringLiteral("T");
        p.extraFields = b.papers[0].extraFields;
        t.restart();
        const QString written = paperInfoText(p);
        printTime("the same 100,000 fields written back into paper {}", t);
        QCOMPARE(written.count(QLatin1String("paper {")), 1);
        QVERIFY(written.contains(QLatin1String("\n  f99999: 99999\n}")));
    }

    // A word the schema does not know, repeated over the lines of a list: each warning names
    // the line of that occurrence (the first one's line was given for all).
    void prototxtRepeatedUnknownKeywordKeepsItsLine()
    {
        QTemporaryDir dir;
        const QString path = writeFile(
            dir, QStringLiteral("Rep.prototxt"),
            QStringLiteral("paper { title: \"T\" }\nkeyword {\n  words: [foo_x,\n    foo_x,\n    foo_x]\n}\n"));
        const ImportBatch b = parsePrototxtFile(path);
        QCOMPARE(b.papers.size(), 1);
        QList<int> lines;
        for (const Diagnostic &d : b.diagnostics)
            lines << d.line;
        QCOMPARE(lines, (QList<int>{3, 4, 5}));
    }

    // The flag is set from another thread while the parser runs (a parse of 500,000
    // entries takes seconds): it stops part way and says so.
    void cancelStopsTheBibTeXParser()
    {
        constexpr int n = 500000;
        const QString text = pathological::bibEntries(n);
        std::atomic_bool cancel{false};
        QElapsedTimer t;
        ImportBatch b;
        {
            DelayedCancel canceller(cancel, 100);
            t.start();
            b = parseBibTeX(text, QStringLiteral("big.bib"), &cancel);
        }
        printTime("BibTeX parse cancelled after 0.1 s, returned after", t);
        QVERIFY2(b.papers.size() < n, qPrintable(QString::number(b.papers.size())));
    }

    void cancelStopsEachTextParser_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("line");
        QTest::newRow("checkbox list") << "list.md"
                                       << "- [x] [Paper %1](https://example.org/%1)\n";
        QTest::newRow("topic list") << "topics.md"
                                    << "Paper number %1 - ICML'24\n";
        QTest::newRow("monthly list")
            << "monthly.md"
            << "- **Paper %1**. A et.al. **ICML**, **2024**, ([link](https://example.org/%1))\n";
        QTest::newRow("key-point notes") << "keypoints.md"
                                         << "### Title: Paper %1\n";
        QTest::newRow("readme view")
            << "README.md"
            << "| [P%1](./meta/2024/P%1.prototxt) | [Paper %1](https://example.org/%1) | | | | |\n";
    }

    // A cancel set before the parse starts is seen before the first record.
    void cancelStopsEachTextParser()
    {
        QFETCH(QString, fileName);
        QFETCH(QString, line);
        QString text = fileName == u"topics.md" || fileName == u"list.md" ? QStringLiteral("## Section\n") : QString();
        if (fileName == u"README.md")
            text = QStringLiteral("| Meta | Title | Cover | Publish | Code | Note |\n|---|---|---|---|---|---|\n");
        for (int i = 0; i < 1000; ++i)
            text += line.arg(i);
        QTemporaryDir dir;
        const QString path = writeFile(dir, fileName, text);
        std::atomic_bool cancel{false};
        QCOMPARE(parseSource(path, SourceFormat::Unknown, &cancel).papers.size(), 1000);
        cancel = true;
        QCOMPARE(parseSource(path, SourceFormat::Unknown, &cancel).papers.size(), 0);
    }

    // Through the library, as the GUI's Cancel button does it: the import returns cancelled
    // long before the parse could have finished, and nothing is stored.
    void cancelledLargeImportStoresNothing()
    {
        QTemporaryDir dir;
        const QString bib = writeFile(dir, QStringLiteral("big.bib"), pathological::bibEntries(500000));
        Library lib(dir.filePath(QStringLiteral("lib.sqlite")));
        std::atomic_bool cancel{false};
        bool progressCalled = false;
        QElapsedTimer t;
        ImportReport r;
        {
            DelayedCancel canceller(cancel, 200);
            t.start();
            r = lib.importPaths(
                {bib}, [&](int, int) { progressCalled = true; }, &cancel);
        }
        printTime("500,000-entry import cancelled after 0.2 s, returned after", t);
        QVERIFY(r.cancelled);
        QVERIFY2(!progressCalled, "the parser must stop before any record reaches the database");
        QCOMPARE(r.added, 0);
        QCOMPARE(lib.paperCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestParserScaling)
#include "tst_parserscaling.moc"
