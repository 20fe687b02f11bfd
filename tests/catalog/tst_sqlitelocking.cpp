// The index's SQLite locks survive what a file dialog does in the app's process: opening and
// closing the index, its -shm and -wal. With SQLite's stock POSIX locks that close released
// every lock of the process, and a paperlab-cli run then deleted the live WAL under the app
// (its later writes lost, the CLI blind to them). This process plays the app; paperlab-cli,
// a real second process, writes meanwhile.

#include "clirunner.h"
#include "fileprobe.h"
#include "library.h"
#include "sqlitedb.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace paperlab;
using namespace paperlab::testing;

namespace {

ino_t inodeOf(const QString &path)
{
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

// Lines of /proc/locks on this inode (POSIX or OFD), whoever holds them.
QStringList locksOn(const QString &path)
{
    const ino_t ino = inodeOf(path);
    QFile f(QStringLiteral("/proc/locks"));
    if (!ino || !f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    QStringList hits;
    for (const QByteArray &line : f.readAll().split('\n')) {
        // "1: POSIX  ADVISORY  READ 1234 00:2e:5678 128 128" (OFDLCK for OFD locks)
        const QList<QByteArray> fields = line.simplified().split(' ');
        for (const QByteArray &field : fields)
            if (field.count(':') == 2 && field.split(':').last().toULongLong() == ino)
                hits << QString::fromLatin1(line);
    }
    return hits;
}

QStringList tagsSeenByCli(const QString &db, const QString &key)
{
    const CliRun r = runCli(db, {QStringLiteral("--json"), QStringLiteral("show"), key});
    QStringList tags;
    for (const QJsonValue &v : QJsonDocument::fromJson(r.out).object().value(QLatin1String("tags")).toArray())
        tags << v.toString();
    return tags;
}

} // namespace

class TestSqliteLocking : public QObject {
    Q_OBJECT

private slots:
    void foreignCloseKeepsLocks()
    {
        QTemporaryDir tmp;
        const QString db = tmp.filePath(QStringLiteral("index.sqlite"));
        Library app(db);
        app.importPaths({QStringLiteral(PAPERLAB_LIBRARY_DIR)});
        // The app's other connections (its search thread): SQLite shares lock state per inode.
        auto search = std::make_unique<Library>(db);
        QVERIFY(search->paperCount() > 300);
        QVERIFY(app.paperCount() > 300); // a read: the app now holds its WAL-mode locks
        QVERIFY2(!locksOn(db).isEmpty(), "the open index holds no lock at all");
        const ino_t wal = inodeOf(db + QStringLiteral("-wal"));
        QVERIFY(wal != 0);

        probeIndex(db);
        search.reset(); // one of the process's connections closes, the others stay

        const QStringList held = locksOn(db);
        QVERIFY2(!held.isEmpty(), "after an open/close in the process /proc/locks shows no lock on the index");
        QVERIFY2(!locksOn(db + QStringLiteral("-shm")).isEmpty(), "the -shm lock was dropped");

        // A second process writes, then closes (its close tries to checkpoint and delete the WAL).
        QCOMPARE(runCli(db, {QStringLiteral("status"), QStringLiteral("SKVQ"), QStringLiteral("read")}).code, 0);
        QCOMPARE(runCli(db, {QStringLiteral("tag"), QStringLiteral("SKVQ"), QStringLiteral("+from-cli")}).code, 0);
        QVERIFY2(inodeOf(db + QStringLiteral("-wal")) == wal, "the WAL the app has open was deleted or replaced");
        QVERIFY(!locksOn(db).isEmpty());

        // Each sees the other's writes.
        const auto seen = app.paperByKey(QStringLiteral("SKVQ"));
        QVERIFY(seen);
        QCOMPARE(seen->status, ReadingStatus::Read);
        QVERIFY(seen->tags.contains(QStringLiteral("from-cli")));
        app.addTag(seen->id, QStringLiteral("from-app"));
        probe(db + QStringLiteral("-wal"));
        QVERIFY2(tagsSeenByCli(db, QStringLiteral("SKVQ")).contains(QStringLiteral("from-app")),
                 "the CLI does not see the app's write");

        auto check = app.database().prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.text(0), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestSqliteLocking)
#include "tst_sqlitelocking.moc"
