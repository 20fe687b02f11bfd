// Library::facetTop counts from the in-memory FacetIndex (schema 6's author rows): its counts,
// values, labels and order are those of Library::facet(), the plain SQL (and, for authors, the
// split "; "-joined names) it replaced, on the bundled library plus papers made to trip it:
// names in two letter cases, accents, an author listed twice on one paper, venues in two cases.

#include "library.h"
#include "schema.h"
#include "sqlitedb.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;

namespace {

QStringList lines(const QList<FacetValue> &values)
{
    QStringList out;
    for (const FacetValue &v : values)
        out << QStringLiteral("%1|%2|%3").arg(v.value, v.label).arg(v.count);
    return out;
}

const Facet kFacets[] = {Facet::Institution, Facet::Venue, Facet::Year,  Facet::Topic,
                         Facet::Status,      Facet::Tag,   Facet::Author};

} // namespace

class TestFacetIndex : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Library> m_lib;
    QHash<QString, QList<qint64>> m_scopes;

    QString dbPath() const { return m_dir.filePath(QStringLiteral("index.sqlite")); }

    qint64 add(const QString &title, const QStringList &authors, const QString &venue)
    {
        PaperRecord r;
        r.title = title;
        r.authors = authors;
        r.venue = venue; // no year: the year facet counts only papers with one
        return m_lib->addPaper(r);
    }

    // facetTop(all) against facet(), and a short top with a kept value below it against
    // facet()'s first values plus that one.
    void compareWithSql(const QString &scope, const QList<qint64> *within)
    {
        for (Facet f : kFacets) {
            const QString what = QStringLiteral("facet %1, %2").arg(int(f)).arg(scope);
            const QList<FacetValue> sql = m_lib->facet(f, within);
            const FacetCounts all = m_lib->facetTop(f, -1, {}, within);
            QVERIFY2(lines(all.values) == lines(sql), qPrintable(what));
            QCOMPARE(all.distinct, int(sql.size()));
            if (sql.size() < 3)
                continue;
            const QStringList keep = {sql.last().value, QStringLiteral("no such value")};
            const FacetCounts top = m_lib->facetTop(f, 1, keep, within);
            QList<FacetValue> expected = {sql.first(), sql.last()};
            QVERIFY2(lines(top.values) == lines(expected), qPrintable(what));
            QCOMPARE(top.distinct, int(sql.size()));
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_lib = std::make_unique<Library>(dbPath());
        const ImportReport r = m_lib->importPaths({QStringLiteral(PAPERLAB_LIBRARY_DIR)});
        QVERIFY(r.added > 100);
        const qint64 a = add(QStringLiteral("Twice the same author"), {"Émile Zola", "émile zola", "Émile Zola"},
                             QStringLiteral("icml"));
        add(QStringLiteral("Letter case"), {"ada Lovelace", "Ada Lovelace", "Zoë"}, QStringLiteral("ICML"));
        add(QStringLiteral("Accents"), {"Zoe", "zoë", "Éva", "Eva"}, QStringLiteral("Workshop X"));
        m_lib->addTag(a, QStringLiteral("Mine"));
        m_lib->addTag(a, QStringLiteral("alpha"));
        m_lib->setStatus(a, ReadingStatus::Reading);
        const QList<qint64> every = m_lib->findIds(QString());
        m_lib->setStatus(every[3], ReadingStatus::Read);
        m_lib->addTag(every[3], QStringLiteral("alpha"));

        m_scopes.insert(QStringLiteral("a search"), m_lib->findIds(QStringLiteral("attention")));
        QVERIFY(m_scopes.value(QStringLiteral("a search")).size() > 10);
        // Repeated and unknown ids count as the SQL IN counts them: once, and not at all.
        QList<qint64> odd = every.mid(0, 20);
        odd << every[0] << every[1] << 987654321 << -5 << a << a;
        m_scopes.insert(QStringLiteral("repeated and unknown ids"), odd);
        m_scopes.insert(QStringLiteral("no ids"), {});
    }

    void sameAsSql_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::newRow("every paper") << QString();
        QTest::newRow("a search") << QStringLiteral("a search");
        QTest::newRow("repeated and unknown ids") << QStringLiteral("repeated and unknown ids");
        QTest::newRow("no ids") << QStringLiteral("no ids");
    }

    void sameAsSql()
    {
        QFETCH(QString, scope);
        const QList<qint64> ids = m_scopes.value(scope);
        compareWithSql(scope.isEmpty() ? QStringLiteral("every paper") : scope, scope.isEmpty() ? nullptr : &ids);
    }

    // The counts follow the library: this connection's edits and another connection's import.
    void followsChanges()
    {
        const auto countOf = [this](Facet f, const QString &value) {
            for (const FacetValue &v : m_lib->facetTop(f, -1).values)
                if (v.value == value)
                    return v.count;
            return 0;
        };
        const int reading = countOf(Facet::Status, QStringLiteral("reading"));
        m_lib->setStatus(m_lib->findIds(QString()).last(), ReadingStatus::Reading);
        QCOMPARE(countOf(Facet::Status, QStringLiteral("reading")), reading + 1);

        QCOMPARE(countOf(Facet::Author, QStringLiteral("Grace Hopper")), 0);
        {
            Library other(dbPath());
            PaperRecord r;
            r.title = QStringLiteral("From another window");
            r.authors = {"Grace Hopper"};
            other.addPaper(r);
        }
        QCOMPARE(countOf(Facet::Author, QStringLiteral("Grace Hopper")), 1);
        compareWithSql(QStringLiteral("after the changes"), nullptr);
    }

    // An index of schema 5 gets its author rows from the papers it holds when opened.
    void migrationFillsAuthorRows()
    {
        const QString old = m_dir.filePath(QStringLiteral("v5.sqlite"));
        {
            Library lib(old);
            QVERIFY(lib.importPaths({QStringLiteral(PAPERLAB_LIBRARY_DIR)}).added > 100);
            PaperRecord r;
            r.title = QStringLiteral("Twice");
            r.authors = {"Émile Zola", "émile zola", "Émile Zola", "A;", "B"};
            lib.addPaper(r);
            lib.database().exec("DROP TABLE paper_authors; DROP TABLE authors; PRAGMA user_version = 5;");
        }
        Library lib(old);
        QCOMPARE(lib.database().userVersion(), kSchemaVersion);
        auto rows = lib.database().prepare("SELECT count(*) FROM paper_authors");
        QVERIFY(rows.step());
        int counted = 0;
        const QList<FacetValue> sql = lib.facet(Facet::Author);
        for (const FacetValue &v : sql)
            counted += v.count;
        QVERIFY2(counted > 5, qPrintable(QString::number(counted)));
        QCOMPARE(rows.integer(0), counted);
        QCOMPARE(lines(lib.facetTop(Facet::Author, -1).values), lines(sql));
    }
};

QTEST_GUILESS_MAIN(TestFacetIndex)
#include "tst_facetindex.moc"
