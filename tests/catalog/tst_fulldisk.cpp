// A full disk is never reported as success: note saves, exports (through the real CLI
// process) and imports on a small tmpfs that is filled to the last block. After each failed
// write the old file is intact, no empty or half file is left, and the error names the path.
//
// Needs to mount a tmpfs, in a mount namespace of its own: as root (CI) directly, otherwise
// inside a user namespace (unshare). Skipped, saying why, only when both are refused.

#include "clirunner.h"
#include "library.h"
#include "safefile.h"
#include "sqlitedb.h"
#include "testfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

using namespace paperlab;
using paperlab::testing::readAll;
using paperlab::testing::writeText;

namespace {

bool writeProcFile(const char *path, const QByteArray &text)
{
    const int fd = ::open(path, O_WRONLY);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, text.constData(), size_t(text.size())) == text.size();
    ::close(fd);
    return ok;
}

// Why this process could not get a mount namespace of its own ("" when it did).
QString g_namespaceProblem;

// A mount namespace of our own, so the small disks vanish with the process even when a
// test crashes; not being root, inside a user namespace where we are. Must run before any
// thread starts (the kernel refuses CLONE_NEWUSER to threaded processes).
void enterPrivateNamespace()
{
    const bool root = ::geteuid() == 0;
    const QByteArray uid = QByteArray::number(::getuid()), gid = QByteArray::number(::getgid());
    if (::unshare(root ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS) != 0) {
        g_namespaceProblem = QStringLiteral("unshare: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    if (!root) {
        writeProcFile("/proc/self/setgroups", "deny");
        if (!writeProcFile("/proc/self/uid_map", "0 " + uid + " 1") ||
            !writeProcFile("/proc/self/gid_map", "0 " + gid + " 1"))
            g_namespaceProblem = QStringLiteral("cannot map ids in the user namespace");
    }
    // Mounts made here must not propagate back to the system's namespace.
    ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
}

// Mounts a tmpfs of `size` ("64k") on `dir`; returns why not when it cannot.
QString mountTmpfs(const QString &dir, const QByteArray &size)
{
    const QByteArray options = "size=" + size;
    if (::mount("tmpfs", QFile::encodeName(dir).constData(), "tmpfs", 0, options.constData()) == 0)
        return {};
    const QString why = QStringLiteral("mount: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    return g_namespaceProblem.isEmpty() ? why : why + QStringLiteral("; ") + g_namespaceProblem;
}

// Fills the filesystem holding `dir` to its last block, then gives back `leave` bytes.
void fillUp(const QString &dir, off_t leave = 0)
{
    const int fd = ::open(QFile::encodeName(QDir(dir).filePath(QStringLiteral(".filler"))).constData(),
                          O_WRONLY | O_CREAT | O_APPEND, 0600);
    QVERIFY(fd >= 0);
    const QByteArray block(4096, 'x');
    while (::write(fd, block.constData(), size_t(block.size())) > 0) {
    }
    while (::write(fd, block.constData(), 1) > 0) {
    }
    if (leave > 0) {
        const off_t size = ::lseek(fd, 0, SEEK_END);
        QVERIFY(::ftruncate(fd, size > leave ? size - leave : 0) == 0);
    }
    ::close(fd);
}

} // namespace

class TestFullDisk : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_disk;   // the small tmpfs: files
    QString m_dbDisk; // a larger one: an index needs a few hundred KiB before it holds anything
    QString m_index;  // an index (outside the small disk) holding the bundled library
    int m_caught = 0; // for the report

    testing::CliRun cli(const QStringList &args, const QString &db)
    {
        QProcessEnvironment env = testing::cliEnvironment();
        env.insert(QStringLiteral("PAPERLAB_DB"), m_index);
        return testing::runCli(db, args, testing::CliOptions{env});
    }

    // Empties a small disk, lays out `files`, then fills what is left.
    void prepare(const QMap<QString, QByteArray> &files, QString where = {})
    {
        if (where.isEmpty())
            where = m_disk;
        const QDir disk(where);
        for (const QString &entry : disk.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
            const QFileInfo fi(disk.filePath(entry));
            if (fi.isDir())
                QDir(fi.filePath()).removeRecursively();
            else
                QFile::remove(fi.filePath());
        }
        for (auto it = files.cbegin(); it != files.cend(); ++it)
            writeText(disk.filePath(it.key()), it.value());
        fillUp(where);
    }

    QStringList leftovers()
    {
        QStringList out;
        QDirIterator it(m_disk, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QFileInfo fi(it.next());
            if (fi.fileName() == u".filler")
                continue;
            if (fi.fileName().startsWith(QLatin1Char('.')) || fi.size() == 0)
                out << fi.filePath();
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_disk = m_tmp.filePath(QStringLiteral("small"));
        QDir().mkpath(m_disk);
        m_dbDisk = m_tmp.filePath(QStringLiteral("medium"));
        QDir().mkpath(m_dbDisk);
        if (const QString why = mountTmpfs(m_disk, "64k"); !why.isEmpty())
            QSKIP(qPrintable(QStringLiteral("cannot mount a small tmpfs here (%1)").arg(why)));
        if (const QString why = mountTmpfs(m_dbDisk, "2m"); !why.isEmpty())
            QSKIP(qPrintable(QStringLiteral("cannot mount a second tmpfs here (%1)").arg(why)));
        m_index = m_tmp.filePath(QStringLiteral("index/library.sqlite"));
        QDir().mkpath(QFileInfo(m_index).absolutePath());
        const testing::CliRun r = cli({QStringLiteral("stats")}, m_index); // the first run: the bundled library
        QCOMPARE(r.code, 0);
    }

    void cleanupTestCase()
    {
        for (const QString &disk : {m_disk, m_dbDisk})
            if (!disk.isEmpty())
                ::umount2(QFile::encodeName(disk).constData(), MNT_DETACH);
        std::printf("full-disk cases caught: %d\n", m_caught);
    }

    void checkedWriterKeepsOldFile()
    {
        prepare({{QStringLiteral("file.txt"), "old content"}});
        QString error;
        QVERIFY(
            !writeFileAtomically(QDir(m_disk).filePath(QStringLiteral("file.txt")), QByteArray(20000, 'n'), &error));
        QVERIFY2(error.contains(QDir(m_disk).filePath(QStringLiteral("file.txt"))), qPrintable(error));
        QVERIFY2(error.contains(QString::fromLocal8Bit(std::strerror(ENOSPC))), qPrintable(error));
        QCOMPARE(readAll(QDir(m_disk).filePath(QStringLiteral("file.txt"))), QByteArray("old content"));
        QCOMPARE(leftovers(), QStringList());
        ++m_caught;
    }

    void noteSaveOnFullDisk()
    {
        // The library folder on the small disk, the index beside the test.
        const QByteArray meta =
            "paper {\n  title: \"Full Disk Attention\"\n  abbr: \"FullDisk\"\n}\npub {\n  year: 2024\n}\n";
        prepare({{QStringLiteral("lib/meta/2024/FullDisk.prototxt"), meta},
                 {QStringLiteral("lib/notes/2024/FullDisk/note.md"), "# old note\n"}});
        const QString note = QDir(m_disk).filePath(QStringLiteral("lib/notes/2024/FullDisk/note.md"));
        Library lib(m_tmp.filePath(QStringLiteral("notes.sqlite")));
        lib.importPaths({QDir(m_disk).filePath(QStringLiteral("lib"))});
        const qint64 id = lib.paperByKey(QStringLiteral("FullDisk"))->id;

        // Short enough to sit in a write buffer: the case QSaveFile reported as written.
        const QString text = QStringLiteral("# new note\n") + QString(3000, QLatin1Char('n'));
        bool threw = false;
        try {
            lib.setNote(id, text);
        } catch (const LibraryError &e) {
            threw = true;
            QVERIFY2(e.message().contains(note), qPrintable(e.message()));
        }
        QVERIFY2(threw, "a note save on a full disk must not report success");
        QCOMPARE(readAll(note), QByteArray("# old note\n"));
        QCOMPARE(lib.paper(id)->note, QStringLiteral("# old note\n"));
        QCOMPARE(leftovers(), QStringList());
        ++m_caught;
    }

    void exportOnFullDisk_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("target");
        QTest::newRow("export bib") << QStringList{"export", "bib", "--all"} << "papers.bib";
        QTest::newRow("export html") << QStringList{"export", "html", "--query", "skvq"} << "deck.html";
        QTest::newRow("export slides") << QStringList{"export", "slides", "--query", "kv cache"} << "deck.pdf";
        QTest::newRow("export csv") << QStringList{"export", "csv", "--all"} << "papers.csv";
    }

    void exportOnFullDisk()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, target);
        prepare({{target, "the previous export"}});
        const QString path = QDir(m_disk).filePath(target);
        const testing::CliRun r = cli(args + QStringList{QStringLiteral("-o"), path}, m_index);
        QVERIFY(r.finished);
        QVERIFY2(!r.crashed, r.err.constData());
        QVERIFY2(r.code != 0, r.out.constData());
        QVERIFY2(r.err.contains(path.toUtf8()), r.err.constData());
        QCOMPARE(readAll(path), QByteArray("the previous export"));
        QCOMPARE(leftovers(), QStringList());
        ++m_caught;
    }

    void exportLibraryOnFullDisk()
    {
        prepare({});
        const QString out = QDir(m_disk).filePath(QStringLiteral("export"));
        const testing::CliRun r =
            cli({QStringLiteral("export"), QStringLiteral("library"), QStringLiteral("-o"), out}, m_index);
        QVERIFY(r.finished);
        QVERIFY2(!r.crashed, r.err.constData());
        QVERIFY2(r.code != 0, r.out.constData());
        QVERIFY2(r.err.contains(QString::fromLocal8Bit(std::strerror(ENOSPC)).toUtf8()), r.err.constData());
        QCOMPARE(leftovers(), QStringList()); // no empty meta or note files
        ++m_caught;
    }

    void importIntoIndexOnFullDisk()
    {
        const QString db = QDir(m_dbDisk).filePath(QStringLiteral("small.sqlite"));
        {
            Library lib(db);
            PaperRecord r;
            r.title = QStringLiteral("Kept Before The Disk Filled");
            lib.addPaper(r);
        }
        // Room to open the index and start, not to hold 338 more papers: it fills up mid-import.
        fillUp(m_dbDisk, 128 * 1024);
        const testing::CliRun r = cli({QStringLiteral("import"), QStringLiteral(PAPERLAB_LIBRARY_DIR)}, db);
        QVERIFY(r.finished);
        QVERIFY2(!r.crashed, r.err.constData());
        QVERIFY2(r.code != 0, r.out.constData());
        QVERIFY2(r.err.contains(db.toUtf8()), r.err.constData());
        QFile::remove(QDir(m_dbDisk).filePath(QStringLiteral(".filler")));
        Database check(db, false);
        auto st = check.prepare("PRAGMA integrity_check");
        QVERIFY(st.step());
        QCOMPARE(st.text(0), QStringLiteral("ok"));
        auto count = check.prepare("SELECT count(*) FROM papers");
        QVERIFY(count.step());
        QCOMPARE(count.integer(0), 1);
        ++m_caught;
    }
};

int main(int argc, char **argv)
{
    enterPrivateNamespace(); // first: no thread may exist yet
    QCoreApplication app(argc, argv);
    TestFullDisk test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_fulldisk.moc"
