// OpenedLibraryRoot (catalog/openedlibraryroot.*): a plain relative path is opened beneath the
// library only when no symlink lies on the way; everything else is left to the general path,
// which canonicalizes. And an import through it names and refuses the same files as the
// general path: note paths through a symlinked folder inside the library, a note that is a
// symlink leaving the library, a note that is a FIFO (which must not hang the import).

#include "importers/importers.h"
#include "librarypaths.h"
#include "openedlibraryroot.h"
#include "testfiles.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace paperlab;
using paperlab::testing::writeText;
using Answer = OpenedLibraryRoot::Answer;

Q_DECLARE_METATYPE(OpenedLibraryRoot::Answer)

class TestOpenedLibraryRoot : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root, m_outside;

private slots:
    void initTestCase()
    {
        m_root = m_dir.filePath(QStringLiteral("lib"));
        m_outside = m_dir.filePath(QStringLiteral("outside"));
        writeText(m_root + QStringLiteral("/notes/2024/A/note.md"), "# A\n");
        writeText(m_root + QStringLiteral("/shared/B/note.md"), "# B\n");
        writeText(m_outside + QStringLiteral("/secret.md"), "secret\n");
        QDir().mkpath(m_root + QStringLiteral("/notes/2024/D"));
        // notes/2023 is a symlink to a folder inside the library; E's note leaves it.
        QVERIFY(QFile::link(m_root + QStringLiteral("/shared"), m_root + QStringLiteral("/notes/2023")));
        QDir().mkpath(m_root + QStringLiteral("/notes/2024/E"));
        QVERIFY(
            QFile::link(m_outside + QStringLiteral("/secret.md"), m_root + QStringLiteral("/notes/2024/E/note.md")));
        QDir().mkpath(m_root + QStringLiteral("/notes/2024/F"));
        QCOMPARE(::mkfifo(QFile::encodeName(m_root + QStringLiteral("/notes/2024/F/note.md")).constData(), 0600), 0);
    }

    void answers_data()
    {
        QTest::addColumn<QString>("relative");
        QTest::addColumn<Answer>("answer");
        QTest::newRow("a regular file") << "notes/2024/A/note.md" << Answer::RegularFile;
        QTest::newRow("missing file") << "notes/2024/A/other.md" << Answer::Missing;
        QTest::newRow("missing folder") << "notes/2019/Z/note.md" << Answer::Missing;
        QTest::newRow("a file used as a folder") << "notes/2024/A/note.md/x" << Answer::Missing;
        QTest::newRow("through a symlinked folder") << "notes/2023/B/note.md" << Answer::AskGeneral;
        QTest::newRow("missing behind a symlink") << "notes/2023/Z/note.md" << Answer::AskGeneral;
        QTest::newRow("a symlink out") << "notes/2024/E/note.md" << Answer::AskGeneral;
        QTest::newRow("a folder") << "notes/2024/D" << Answer::AskGeneral;
        QTest::newRow("a FIFO") << "notes/2024/F/note.md" << Answer::AskGeneral;
        QTest::newRow("dot dot out") << "../outside/secret.md" << Answer::AskGeneral;
        QTest::newRow("absolute") << QString(m_outside + QStringLiteral("/secret.md")) << Answer::AskGeneral;
        QTest::newRow("empty") << "" << Answer::AskGeneral;
        QTest::newRow("a NUL inside") << QStringLiteral("notes/2024/A/note.md") + QChar(0) + QStringLiteral("x")
                                      << Answer::AskGeneral;
    }
    void answers()
    {
        QFETCH(QString, relative);
        QFETCH(Answer, answer);
        const OpenedLibraryRoot opened(m_root);
        QCOMPARE(opened.canonicalPath(), canonicalPathAllowingMissing(m_root));
        OpenedLibraryRoot::File file;
        const Answer got = opened.open(relative, &file);
#ifdef __linux__
        QCOMPARE(got, answer);
        QCOMPARE(file.isOpen(), answer == Answer::RegularFile);
        if (file.isOpen()) {
            QFile f;
            QVERIFY(f.open(file.release(), QIODevice::ReadOnly, QFileDevice::AutoCloseHandle));
            QCOMPARE(f.readAll(), QByteArray("# A\n"));
        }
#else
        QCOMPARE(got, Answer::AskGeneral);
#endif
    }

    // The folder import (which opens the library once) stores what the general path decides.
    void importNamesWhatTheGeneralPathNames()
    {
        const QString meta = m_root + QStringLiteral("/meta/");
        writeText(meta + QStringLiteral("2024/A.prototxt"),
                  "paper {\n  title: \"Paper A\"\n}\nnote {\n  url: \"note.md\"\n}\n");
        writeText(meta + QStringLiteral("2023/B.prototxt"),
                  "paper {\n  title: \"Paper B\"\n}\nnote {\n  url: \"note.md\"\n}\n");
        writeText(meta + QStringLiteral("2024/E.prototxt"),
                  "paper {\n  title: \"Paper E\"\n}\nnote {\n  url: \"note.md\"\n}\n");
        writeText(meta + QStringLiteral("2024/F.prototxt"),
                  "paper {\n  title: \"Paper F\"\n}\nnote {\n  url: \"note.md\"\n}\n");
        const ImportBatch batch = parseEfficientPaperFolder(m_root);
        QCOMPARE(batch.papers.size(), 4);
        QHash<QString, PaperRecord> byTitle;
        for (const PaperRecord &r : batch.papers)
            byTitle.insert(r.title, r);
        const QString canonical = canonicalPathAllowingMissing(m_root);
        QCOMPARE(byTitle[QStringLiteral("Paper A")].notePath, canonical + QStringLiteral("/notes/2024/A/note.md"));
        QCOMPARE(byTitle[QStringLiteral("Paper A")].noteMarkdown, QStringLiteral("# A\n"));
        // Through notes/2023 -> shared: the canonical path, as the general path names it.
        QCOMPARE(byTitle[QStringLiteral("Paper B")].notePath, canonical + QStringLiteral("/shared/B/note.md"));
        QCOMPARE(byTitle[QStringLiteral("Paper B")].noteMarkdown, QStringLiteral("# B\n"));
        // A note that is a symlink out of the library is refused, with the file's line.
        QVERIFY(byTitle[QStringLiteral("Paper E")].noteMarkdown.isEmpty());
        QVERIFY(byTitle[QStringLiteral("Paper E")].notePath.isEmpty());
        bool warned = false;
        for (const Diagnostic &d : batch.diagnostics)
            warned |= d.file.endsWith(QLatin1String("E.prototxt")) && d.line == 4 &&
                      d.message.contains(QLatin1String("outside the library"));
        QVERIFY2(warned, "no warning for the note that leaves the library");
        // A FIFO is no note (and reading it did not hang).
        QVERIFY(byTitle[QStringLiteral("Paper F")].noteMarkdown.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOpenedLibraryRoot)
#include "tst_openedlibraryroot.moc"
