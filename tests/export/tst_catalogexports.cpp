// BibTeX, CSL-JSON, CSV and README views of the bundled library, read back where PaperLab
// can read them: BibTeX and README views must round-trip through its own importers.

#include "exporters/bibtexwriter.h"
#include "exporters/citationkeys.h"
#include "exporters/csljsonwriter.h"
#include "exporters/csvwriter.h"
#include "exporters/readmeviewwriter.h"
#include "exportfixtures.h"
#include "importers/bibteximporter.h"
#include "importers/importers.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>
#include <QSet>

using namespace paperlab;
using namespace paperlab::testing;

namespace {

QString normalized(const QString &t)
{
    return t.simplified();
}

// The entries where two title -> "year venue" maps differ, for a readable failure.
QString differences(const QMap<QString, QString> &got, const QMap<QString, QString> &want)
{
    QStringList out;
    for (auto it = want.begin(); it != want.end(); ++it)
        if (got.value(it.key(), QStringLiteral("<missing>")) != it.value())
            out << QStringLiteral("%1: got \"%2\", want \"%3\"")
                       .arg(it.key(), got.value(it.key(), QStringLiteral("<missing>")), it.value());
    for (auto it = got.begin(); it != got.end(); ++it)
        if (!want.contains(it.key()))
            out << QStringLiteral("%1: unexpected").arg(it.key());
    return out.mid(0, 8).join(QLatin1Char('\n'));
}

// title -> "year venue" of every paper, the fields a round trip must keep.
QMap<QString, QString> identities(const QList<Paper> &papers)
{
    QMap<QString, QString> out;
    for (const Paper &p : papers)
        out.insert(normalized(p.title), QStringLiteral("%1 %2").arg(p.year).arg(p.venue));
    return out;
}

// Fields of one CSV record: commas inside quotes do not separate.
int csvFieldCount(const QString &line)
{
    int n = 1;
    bool quoted = false;
    for (const QChar c : line) {
        if (c == QLatin1Char('"'))
            quoted = !quoted; // a doubled quote toggles twice
        else if (c == QLatin1Char(',') && !quoted)
            ++n;
    }
    return n;
}

bool writeFile(const QString &path, const QString &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text.toUtf8()) >= 0;
}

} // namespace

class TestCatalogExports : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<Library> m_lib;
    QList<Paper> m_papers;

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_lib = bundledLibrary(m_tmp);
        m_papers = m_lib->allPapers();
        QCOMPARE(m_papers.size(), 338); // the bundled library: five seeds merged, plus KIVI
    }

    void csvQuotesPerRfc4180()
    {
        QCOMPARE(csvField(QStringLiteral("plain")), QStringLiteral("plain"));
        QCOMPARE(csvField(QStringLiteral("a, b")), QStringLiteral("\"a, b\""));
        QCOMPARE(csvField(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
        QCOMPARE(csvField(QStringLiteral("two\nlines")), QStringLiteral("\"two\nlines\""));
        const QString text =
            csvText({QStringLiteral("a"), QStringLiteral("b")}, {{QStringLiteral("1,2"), QStringLiteral("x")}});
        QCOMPARE(text, QStringLiteral("a,b\r\n\"1,2\",x\r\n"));

        const QString all = papersCsv(m_papers);
        QVERIFY(all.endsWith(QLatin1String("\r\n")));
        // Every record has 15 fields once quoted commas are accounted for.
        const QStringList lines = all.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), m_papers.size() + 1); // the header, then one line a paper
        for (const QString &l : lines)
            QVERIFY2(csvFieldCount(l) == 15, qPrintable(l));
    }

    // A cell a spreadsheet would run as a formula gets a leading apostrophe; numbers stay.
    void csvNeutralisesFormulas_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("field");
        QTest::newRow("equals") << "=HYPERLINK(\"http://x\",\"y\")"
                                << "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"";
        QTest::newRow("plus") << "+cmd|' /C calc'!A0"
                              << "'+cmd|' /C calc'!A0";
        QTest::newRow("minus") << "-2+3+cmd|' /C calc'!A0"
                               << "'-2+3+cmd|' /C calc'!A0";
        QTest::newRow("at") << "@SUM(1+1)*cmd|' /C calc'!A0"
                            << "'@SUM(1+1)*cmd|' /C calc'!A0";
        QTest::newRow("tab") << "\t=1+1"
                             << "'\t=1+1";
        QTest::newRow("carriage return") << "\r=1+1"
                                         << "\"'\r=1+1\"";
        QTest::newRow("negative number") << "-1.5"
                                         << "-1.5";
        QTest::newRow("signed exponent") << "+3e-2"
                                         << "+3e-2";
        QTest::newRow("minus inside") << "KV-cache"
                                      << "KV-cache";
        QTest::newRow("plain") << "FlashAttention"
                               << "FlashAttention";
    }

    void csvNeutralisesFormulas()
    {
        QFETCH(QString, value);
        QFETCH(QString, field);
        QCOMPARE(csvField(value), field);
        // Through a whole export too: an imported title is a cell like any other.
        Paper p = m_papers.first();
        p.title = value;
        QVERIFY(papersCsv({p}).contains(QLatin1Char(',') + field + QLatin1Char(',')));
    }

    void bibtexEscapesLatexSpecials()
    {
        QCOMPARE(latexEscaped(QStringLiteral("50% & x_1 #2 $ {a} ~ ^ \\")),
                 QStringLiteral(
                     "50\\% \\& x\\_1 \\#2 \\$ \\{a\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"));
        const QString title = QStringLiteral("T3: Tracking & Triggering 50% {x}_y ~ ^ \\ #1 $");
        QCOMPARE(latexToPlain(latexEscaped(title)), title);
    }

    void bibtexKeepsMath_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("written");
        QTest::newRow("subscript") << QStringLiteral("H$_2$O & more") << QStringLiteral("H$_2$O \\& more");
        QTest::newRow("big O") << QStringLiteral("Attention in $O(n \\log n)$ time")
                               << QStringLiteral("Attention in $O(n \\log n)$ time");
        QTest::newRow("two spans") << QStringLiteral("$x_1$ and $y_2$") << QStringLiteral("$x_1$ and $y_2$");
        QTest::newRow("prices are text") << QStringLiteral("from $5 to $10") << QStringLiteral("from \\$5 to \\$10");
        QTest::newRow("unpaired") << QStringLiteral("costs $x_1 a lot") << QStringLiteral("costs \\$x\\_1 a lot");
    }
    void bibtexKeepsMath()
    {
        QFETCH(QString, title);
        QFETCH(QString, written);
        QCOMPARE(latexEscaped(title), written);
        Paper p;
        p.id = 1;
        p.title = title;
        p.year = 2024;
        QVERIFY2(bibtexText({p}).contains(QStringLiteral("title = {{%1}}").arg(written)), qPrintable(bibtexText({p})));
    }

    void bibtexKeywordsHoldTags()
    {
        Paper p;
        p.id = 1;
        p.title = QStringLiteral("SKVQ");
        p.year = 2024;
        p.topicList = {QStringLiteral("KV Cache"), QStringLiteral("Quantization")};
        p.tags = {QStringLiteral("reading-group"), QStringLiteral("kv cache"), QStringLiteral("to_cite")};
        const QString bib = bibtexText({p});
        // The tag that repeats a topic is not written twice.
        QVERIFY2(bib.contains(QLatin1String("keywords = {KV Cache, Quantization, reading-group, to\\_cite}")),
                 qPrintable(bib));
    }

    void bibtexEntryShapes()
    {
        Paper flash;
        flash.id = 1;
        flash.title = QStringLiteral("FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness");
        flash.authors = {QStringLiteral("Tri Dao"), QStringLiteral("Daniel Y. Fu")};
        flash.venue = QStringLiteral("NeurIPS");
        flash.year = 2022;
        flash.arxivId = QStringLiteral("2205.14135");
        Paper pre;
        pre.id = 2;
        pre.title = QStringLiteral("A Preprint");
        pre.authors = {QStringLiteral("Dao, Tri")};
        pre.venue = QStringLiteral("arXiv");
        pre.year = 2022;
        pre.arxivId = QStringLiteral("2207.00001");
        const QString bib = bibtexText({flash, pre});
        QVERIFY2(bib.contains(QLatin1String("@inproceedings{dao2022flashattention,")), qPrintable(bib));
        QVERIFY(bib.contains(QLatin1String("booktitle = {NeurIPS}")));
        QVERIFY(bib.contains(QLatin1String("@misc{dao2022preprint,")));
        QVERIFY(bib.contains(QLatin1String("eprint = {2207.00001}")));
        QVERIFY(bib.contains(QLatin1String("archivePrefix = {arXiv}")));
        QVERIFY(!bib.contains(QLatin1String("primaryClass")));
        QVERIFY(bib.contains(QLatin1String("author = {Tri Dao and Daniel Y. Fu}")));
        // Keys are stable and unique across the library.
        const CitationKeys a(m_papers), b(m_papers);
        QSet<QString> seen;
        for (const Paper &p : m_papers) {
            QCOMPARE(a.keyOf(p), b.keyOf(p));
            QVERIFY2(!seen.contains(a.keyOf(p)), qPrintable(a.keyOf(p)));
            seen.insert(a.keyOf(p));
        }
    }

    void bibtexRoundTripsThroughImport()
    {
        const QString bib = m_tmp.filePath(QStringLiteral("library.bib"));
        QVERIFY(writeFile(bib, bibtexText(m_papers)));
        Library fresh(m_tmp.filePath(QStringLiteral("frombib.sqlite")));
        const ImportReport r = fresh.importPaths({bib});
        QCOMPARE(r.errors(), 0);
        const QList<Paper> back = fresh.allPapers();
        QCOMPARE(back.size(), m_papers.size());
        QVERIFY2(identities(back) == identities(m_papers),
                 qPrintable(differences(identities(back), identities(m_papers))));
        // Imported again into the original library, every entry merges into its paper.
        const ImportReport again = m_lib->importPaths({bib});
        QCOMPARE(again.added, 0);
        QCOMPARE(m_lib->paperCount(), int(m_papers.size()));
    }

    void cslJsonIsAnArrayOfItems()
    {
        const QJsonArray items = QJsonDocument::fromJson(cslJson(m_papers)).array();
        QCOMPARE(items.size(), m_papers.size());
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            QVERIFY(!o.value(QLatin1String("id")).toString().isEmpty());
            QVERIFY(!o.value(QLatin1String("title")).toString().isEmpty());
            QVERIFY(!o.value(QLatin1String("type")).toString().isEmpty());
        }
    }

    void readmeViewCountsMatchInstitutionFacet()
    {
        const QString text = readmeViewText(m_papers, ReadmeGrouping::Institution);
        // Rows per <details> group, counted from the text itself.
        QMap<QString, int> rows;
        QString group;
        static const QRegularExpression summary(QStringLiteral(R"(<summary><b>(.*)</b></summary>)"));
        for (const QString &line : text.split(QLatin1Char('\n'))) {
            if (const auto m = summary.match(line); m.hasMatch())
                group = m.captured(1);
            else if (line.startsWith(QLatin1String("</details>")))
                group.clear();
            else if (line.startsWith(QLatin1String("| [")) && !group.isEmpty())
                ++rows[group];
        }
        const QList<FacetValue> facet = m_lib->facet(Facet::Institution);
        QCOMPARE(rows.size(), facet.size());
        for (const FacetValue &v : facet)
            QVERIFY2(
                rows.value(v.label.toHtmlEscaped()) == v.count,
                qPrintable(QStringLiteral("%1: %2 rows, facet %3").arg(v.label).arg(rows.value(v.label)).arg(v.count)));
    }

    void readmeViewRoundTripsThroughImport_data()
    {
        QTest::addColumn<int>("grouping");
        QTest::newRow("institution") << int(ReadmeGrouping::Institution);
        QTest::newRow("venue") << int(ReadmeGrouping::Venue);
        QTest::newRow("year") << int(ReadmeGrouping::Year);
        QTest::newRow("topic") << int(ReadmeGrouping::Topic);
    }

    void readmeViewRoundTripsThroughImport()
    {
        QFETCH(int, grouping);
        const QString text = readmeViewText(m_papers, ReadmeGrouping(grouping));
        const ImportBatch batch = parseReadmeView(text, QStringLiteral("README.md"));
        QCOMPARE(batch.errorCount(), 0);
        QCOMPARE(batch.warningCount(), 0);
        QCOMPARE(batch.papers.size(), m_papers.size());
        // The publish badge is "YEAR-VENUE": a paper without a year has none, so only its title comes back.
        QMap<QString, QString> back, want = identities(m_papers);
        for (const PaperRecord &r : batch.papers) {
            const QString title = normalized(r.title);
            back.insert(title, want.value(title).startsWith(QLatin1String("0 "))
                                   ? want.value(title)
                                   : QStringLiteral("%1 %2").arg(r.year).arg(r.venue));
        }
        QVERIFY2(back == want, qPrintable(differences(back, want)));
        if (ReadmeGrouping(grouping) == ReadmeGrouping::Institution) {
            for (const PaperRecord &r : batch.papers) {
                const Paper *p = paperWithKey(m_papers, r.key);
                QVERIFY2(p, qPrintable(r.key));
                QCOMPARE(QSet<QString>(r.institutions.begin(), r.institutions.end()),
                         QSet<QString>(p->institutionList.begin(), p->institutionList.end()));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCatalogExports)
#include "tst_catalogexports.moc"
