#include "librarysettings.h"

#include "../librarypaths.h"
#include "../safefile.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <utility>

namespace paperlab {
namespace {

// meta/YEAR/ and meta/unknown/ (where PaperLab files a paper without a year) hold papers.
bool isPaperFolder(const QString &name)
{
    static const QRegularExpression year(QStringLiteral("^\\d{4}$"));
    return year.match(name).hasMatch() || name == u"unknown";
}

void addFilesBelow(const QDir &root, const QString &folder, QStringList &out)
{
    QDirIterator it(root.filePath(folder), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(root.relativeFilePath(it.next()));
}

} // namespace

QStringList librarySettingsFiles(const QString &libraryRoot)
{
    const QDir root(libraryRoot);
    QStringList out;
    addFilesBelow(root, QStringLiteral("proto"), out);
    const QDir meta(root.filePath(QStringLiteral("meta")));
    for (const QString &sub : meta.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (!isPaperFolder(sub))
            addFilesBelow(root, QStringLiteral("meta/%1").arg(sub), out);
    // Files right under notes/ are no paper's: pictures the notes share (EfficientPaper's
    // note template shows ../../blank.jpg), or the README's.
    for (const QString &file : QDir(root.filePath(QStringLiteral("notes"))).entryList(QDir::Files))
        out.append(QStringLiteral("notes/%1").arg(file));
    // A link in a shared library may point anywhere ("notes/a.jpg -> ~/.ssh/id_rsa"): only
    // files that are really inside the library are copied out of it.
    QStringList inside;
    for (const QString &rel : std::as_const(out))
        if (isInsideFolder(root.filePath(rel), libraryRoot))
            inside.append(rel);
    inside.sort();
    return inside;
}

QStringList sourceLibraries(const QList<Paper> &papers)
{
    QStringList out;
    for (const Paper &p : papers)
        for (const ProvenanceEntry &e : p.provenance) {
            if (e.format != u"efficientpaper")
                continue;
            // meta/YEAR/KEY.prototxt: the library is two folders up.
            QDir dir = QFileInfo(e.file).dir();
            if (!dir.cdUp() || dir.dirName() != u"meta" || !dir.cdUp())
                continue;
            if (!out.contains(dir.absolutePath()))
                out.append(dir.absolutePath());
        }
    return out;
}

int copyLibrarySettings(const QString &from, const QString &to, QStringList &errors)
{
    if (QFileInfo(from).canonicalFilePath() == QFileInfo(to).canonicalFilePath())
        return 0;
    int copied = 0;
    for (const QString &rel : librarySettingsFiles(from)) {
        const QString target = QDir(to).filePath(rel);
        if (QFileInfo::exists(target))
            continue;
        QFile in(QDir(from).filePath(rel));
        if (!in.open(QIODevice::ReadOnly)) {
            errors.append(QStringLiteral("%1: cannot read: %2").arg(in.fileName(), in.errorString()));
            continue;
        }
        QString error;
        if (writeFileAtomicallyMakingFolders(target, in.readAll(), &error))
            ++copied;
        else
            errors.append(error);
    }
    return copied;
}

} // namespace paperlab
