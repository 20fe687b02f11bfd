// No library error escapes paperlab-cli: a busy, read-only, damaged or foreign index ends
// every command with a message naming the file and what to do, and a distinct exit code
// (they used to abort: an SqlError nobody caught, SIGABRT, exit 134).

#include "clirunner.h"
#include "library.h"
#include "sqlitedb.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::testing;

class TestCliErrors : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_index; // the bundled library, imported once

    QString copyOfIndex(const QString &name)
    {
        const QString path = m_tmp.filePath(name);
        QFile::remove(path);
        return QFile::copy(m_index, path) ? path : QString();
    }

private slots:
    void initTestCase()
    {
        m_index = m_tmp.filePath(QStringLiteral("index.sqlite"));
        // Only the default index fills itself with the bundled library on a first run: import it.
        const CliRun r = runCli(m_index, {QStringLiteral("import"), QStringLiteral(PAPERLAB_LIBRARY_DIR)});
        QCOMPARE(r.code, 0);
        // Fold the WAL in, so plain file copies are whole indexes.
        Database(m_index, false).exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    void busy_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("status") << QStringList{"status", "SKVQ", "read"};
        QTest::newRow("tag") << QStringList{"tag", "SKVQ", "+busy"};
        QTest::newRow("second import") << QStringList{"import", PAPERLAB_LIBRARY_DIR};
    }

    void busy()
    {
        QFETCH(QStringList, args);
        const QString db = copyOfIndex(QStringLiteral("busy.sqlite"));
        // This process holds the write lock, as a long import does.
        Database holder(db, false);
        holder.exec("BEGIN IMMEDIATE");
        CliOptions options;
        options.env.insert(QStringLiteral("PAPERLAB_BUSY_TIMEOUT_MS"), QStringLiteral("300"));
        const CliRun r = runCli(db, args, options);
        holder.exec("ROLLBACK");
        QCOMPARE(r.code, 6);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(db) && err.contains(QLatin1String("busy")) && err.contains(QLatin1String("try again")),
                 r.err.constData());
    }

    void readOnly_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("status") << QStringList{"status", "SKVQ", "read"};
        QTest::newRow("tag") << QStringList{"tag", "SKVQ", "+ro"};
    }

    void readOnly()
    {
        QFETCH(QStringList, args);
        const QString db = copyOfIndex(QStringLiteral("readonly.sqlite"));
        // Readable by all, writable by nobody but its owner; the CLI runs as another user
        // when this test is root (root writes anything).
        QFile::setPermissions(m_tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther |
                                                QFile::ExeOther);
        QFile::setPermissions(db, QFile::ReadOwner | QFile::ReadOther);
        CliOptions options;
        options.unprivileged = true;
        // The build folder may be closed to other users (under /root): run a copy from here.
        options.program = m_tmp.filePath(QStringLiteral("paperlab-cli"));
        if (!QFile::exists(options.program))
            QVERIFY(QFile::copy(QStringLiteral(PAPERLAB_CLI), options.program));
        QFile::setPermissions(options.program, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
        const CliRun r = runCli(db, args, options);
        QFile::setPermissions(db, QFile::ReadOwner | QFile::WriteOwner);
        QFile::setPermissions(m_tmp.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(r.code, 7);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(db) && err.contains(QLatin1String("writable")), r.err.constData());
    }

    void damaged_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("stats") << QStringList{"stats"};
        QTest::newRow("search") << QStringList{"search", "cache"};
        QTest::newRow("status") << QStringList{"status", "SKVQ", "read"};
        QTest::newRow("export") << QStringList{"export", "bib", "--all", "-o", "/dev/null"};
    }

    void damaged()
    {
        QFETCH(QStringList, args);
        const QString db = copyOfIndex(QStringLiteral("damaged.sqlite"));
        {
            // The header and the first pages intact, garbage from a third of the file on.
            QFile f(db);
            QVERIFY(f.open(QIODevice::ReadWrite));
            const qint64 size = f.size();
            f.seek(size / 3);
            f.write(QByteArray(int(size / 3), '\xA5'));
        }
        const CliRun r = runCli(db, args);
        QCOMPARE(r.code, 8);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(db) && err.contains(QLatin1String("damaged")) && err.contains(QLatin1String("rebuild")),
                 r.err.constData());
    }

    void notAnIndex()
    {
        const QString path = m_tmp.filePath(QStringLiteral("notes.txt"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("just some text\n").repeated(300));
        f.close();
        for (const QStringList &args : {QStringList{"stats"}, QStringList{"tag", "SKVQ", "+x"}}) {
            const CliRun r = runCli(path, args);
            QCOMPARE(r.code, 9);
            QVERIFY2(QString::fromUtf8(r.err).contains(path), r.err.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestCliErrors)
#include "tst_clierrors.moc"
