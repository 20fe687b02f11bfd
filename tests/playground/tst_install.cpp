// The installed layout: `cmake --install` of this build into a scratch prefix, and the
// installed executables finding their bundled library and runner relative to themselves
// (never through a path compiled in from the build or source tree).
#include "defaultlibrary.h"
#include "runnerclient.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace paperlab;
using namespace paperlab::playground;

namespace {

struct Run {
    bool finished = false;
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QString &program, const QStringList &args, const QProcessEnvironment &env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    Run r;
    r.finished = p.waitForFinished(180000);
    r.code = r.finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

bool makeFile(const QString &path, QFileDevice::Permissions extra = {})
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.close();
    return f.setPermissions(f.permissions() | extra);
}

// One paper per prototxt record in a bundled library.
int prototxtCount(const QString &library)
{
    int n = 0;
    for (QDirIterator it(library + QStringLiteral("/meta"), {QStringLiteral("*.prototxt")}, QDir::Files,
                         QDirIterator::Subdirectories);
         it.hasNext(); it.next())
        ++n;
    return n;
}

// The "papers N" line of `paperlab-cli stats`.
int paperCount(const QByteArray &stats)
{
    for (const QByteArray &line : stats.split('\n')) {
        const QList<QByteArray> words = line.simplified().split(' ');
        if (words.size() == 2 && words[0] == "papers")
            return words[1].toInt();
    }
    return -1;
}

} // namespace

class TestInstall : public QObject {
    Q_OBJECT
private slots:
    void libraryBesideExecutable_data();
    void libraryBesideExecutable();
    void runnerBesideExecutable_data();
    void runnerBesideExecutable();
    void installedTreeRunsOnItsOwn();
};

void TestInstall::libraryBesideExecutable_data()
{
    QTest::addColumn<bool>("withLibrary");
    QTest::addColumn<bool>("withMeta");
    QTest::addColumn<bool>("found");
    QTest::newRow("installed library") << true << true << true;
    QTest::newRow("folder without meta/") << true << false << false;
    QTest::newRow("no library") << false << false << false;
}

void TestInstall::libraryBesideExecutable()
{
    QFETCH(bool, withLibrary);
    QFETCH(bool, withMeta);
    QFETCH(bool, found);
    QTemporaryDir prefix;
    QVERIFY(prefix.isValid());
    const QString bin = prefix.filePath(QStringLiteral(PAPERLAB_INSTALL_BINDIR));
    const QString library = prefix.filePath(QStringLiteral(PAPERLAB_INSTALL_LIBRARYDIR));
    QVERIFY(QDir().mkpath(bin));
    if (withLibrary)
        QVERIFY(QDir().mkpath(library));
    if (withMeta)
        QVERIFY(makeFile(library + QStringLiteral("/meta/2024/paper.prototxt")));
    QCOMPARE(installedLibraryFolder(bin), found ? QDir::cleanPath(library) : QString());
}

void TestInstall::runnerBesideExecutable_data()
{
    QTest::addColumn<bool>("present");
    QTest::addColumn<bool>("executable");
    QTest::newRow("installed runner") << true << true;
    QTest::newRow("not executable") << true << false;
    QTest::newRow("no runner") << false << false;
}

void TestInstall::runnerBesideExecutable()
{
    QFETCH(bool, present);
    QFETCH(bool, executable);
    QTemporaryDir prefix;
    QVERIFY(prefix.isValid());
    const QString bin = prefix.filePath(QStringLiteral(PAPERLAB_INSTALL_BINDIR));
    const QString runner = prefix.filePath(QStringLiteral(PAPERLAB_INSTALL_LIBEXECDIR "/paperlab-runner"));
    QVERIFY(QDir().mkpath(bin));
    if (present)
        QVERIFY(makeFile(runner, executable ? QFileDevice::ExeOwner : QFileDevice::Permissions()));
    QCOMPARE(installedRunnerPath(bin), present && executable ? QDir::cleanPath(runner) : QString());
}

void TestInstall::installedTreeRunsOnItsOwn()
{
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const QString prefix = scratch.filePath(QStringLiteral("prefix"));
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    const Run install = run(
        QStringLiteral(PAPERLAB_CMAKE_COMMAND),
        {QStringLiteral("--install"), QStringLiteral(PAPERLAB_BUILD_DIR), QStringLiteral("--prefix"), prefix}, system);
    QVERIFY2(install.code == 0, install.err.constData());

    const QDir root(prefix);
    const QString cli = root.filePath(QStringLiteral(PAPERLAB_INSTALL_BINDIR "/paperlab-cli"));
    const QString runner = root.filePath(QStringLiteral(PAPERLAB_INSTALL_LIBEXECDIR "/paperlab-runner"));
    const QString library = root.filePath(QStringLiteral(PAPERLAB_INSTALL_LIBRARYDIR));
    QVERIFY(QFileInfo(cli).isExecutable());
    QVERIFY(QFileInfo(runner).isExecutable());
    QVERIFY(root.exists(QStringLiteral("share/applications/paperlab.desktop")) || !PAPERLAB_WITH_APP);
    QVERIFY(root.exists(QStringLiteral("share/icons/hicolor/scalable/apps/paperlab.svg")) || !PAPERLAB_WITH_APP);
    QVERIFY(QFileInfo(root.filePath(QStringLiteral(PAPERLAB_INSTALL_BINDIR "/paperlab"))).isExecutable() ||
            !PAPERLAB_WITH_APP);

    // One paper fewer in the installed library than in the source tree: the count then
    // tells which of the two a first run copied.
    QDirIterator it(library + QStringLiteral("/meta"), {QStringLiteral("*.prototxt")}, QDir::Files,
                    QDirIterator::Subdirectories);
    QVERIFY(it.hasNext());
    QVERIFY(QFile::remove(it.next()));

    QProcessEnvironment env = system;
    for (const char *name : {"PAPERLAB_LIBRARY", "PAPERLAB_DB", "PAPERLAB_RUNNER"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("HOME"), scratch.filePath(QStringLiteral("home")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), scratch.filePath(QStringLiteral("home/.local/share")));
    const Run stats = run(cli, {QStringLiteral("stats")}, env);
    QVERIFY2(stats.code == 0, stats.err.constData());
    QCOMPARE(paperCount(stats.out), prototxtCount(QStringLiteral(PAPERLAB_SOURCE_LIBRARY)) - 1);
    // Copied into the user's data folder, where notes are edited; the install stays as it was.
    QVERIFY(
        QDir(scratch.filePath(QStringLiteral("home/.local/share/paperlab/library"))).exists(QStringLiteral("meta")));

    const Run list = run(runner, {QStringLiteral("--list")}, env);
    QCOMPARE(list.code, 0);
    QVERIFY(list.out.contains("flash"));

    // The app loads its Qt WebEngine plugin from the installed tree (libdir/paperlab), not the build's.
    if (PAPERLAB_WITH_APP) {
        QProcessEnvironment appEnv = env;
        appEnv.remove(QStringLiteral("PAPERLAB_WEB_PLUGIN"));
        appEnv.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        const Run check = run(root.filePath(QStringLiteral(PAPERLAB_INSTALL_BINDIR "/paperlab")),
                              {QStringLiteral("--check-web-plugin")}, appEnv);
        QVERIFY2(check.code == 0, (check.out + check.err).constData());
        QCOMPARE(QString::fromLocal8Bit(check.out).trimmed(),
                 QDir::cleanPath(root.filePath(QStringLiteral(PAPERLAB_INSTALL_WEB_PLUGIN))));
    }
}

QTEST_GUILESS_MAIN(TestInstall)
#include "tst_install.moc"
