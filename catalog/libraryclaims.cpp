// Library's claims: the paper_claims table and the prototxt file they are written back to.

#include "claimjson.h"
#include "claimproto.h"
#include "claimstore.h"
#include "exporters/efficientpaperwriter.h"
#include "library_p.h"
#include "librarypaths.h"
#include "safefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace paperlab {
namespace {

Claim claimFromText(const QString &json)
{
    const QList<Claim> one = claimsFromJson(QJsonArray{QJsonDocument::fromJson(json.toUtf8()).object()});
    return one.isEmpty() ? Claim{} : one.first();
}

// The prototxt a paper's claims are written to, and its text now (empty for a new file).
struct ClaimFile {
    QString path;
    QString text;
    bool exists = false;
};

ClaimFile readClaimFile(const QString &path, const Paper &p)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw LibraryError(
            QStringLiteral("%1: cannot read it to save the claims of %2: %3").arg(path, p.key, f.errorString()));
    return {path, QString::fromUtf8(f.readAll()), true};
}

// Every EfficientPaper file the paper was imported from (a library may file one paper under
// two years): the claims go into each, so that no file's older claims come back on the next
// import. Their other fields stay as they are. Without such a file, the paper's own file in
// its library folder (meta/YEAR/KEY.prototxt), new or not.
QList<ClaimFile> claimFilesOf(const Paper &p)
{
    QList<ClaimFile> files;
    QStringList seen;
    for (const ProvenanceEntry &e : p.provenance) {
        if (e.format != u"efficientpaper" || seen.contains(e.file) || !QFileInfo(e.file).isFile() ||
            fileInPaperLibrary(p, e.file).isEmpty())
            continue;
        seen.append(e.file);
        files.append(readClaimFile(e.file, p));
    }
    if (!files.isEmpty() || p.libraryFolder.isEmpty())
        return files;
    const QString year = p.year > 0 ? QString::number(p.year) : QStringLiteral("unknown");
    const QString path = QDir(p.libraryFolder).filePath(QStringLiteral("meta/%1/%2.prototxt").arg(year, p.key));
    // A key is data too ("../../x" from a BibTeX file): the file stays in the library.
    if (!isInsideFolder(path, p.libraryFolder))
        throw LibraryError(QStringLiteral("%1: not written: the key %2 would put it outside the library folder %3")
                               .arg(path, p.key, p.libraryFolder));
    if (QFileInfo(path).isFile())
        return {readClaimFile(path, p)};
    return {{path, {}, false}};
}

} // namespace

QList<Claim> readPaperClaims(Database &db, qint64 paperId)
{
    QList<Claim> out;
    auto st = db.prepare("SELECT claim FROM paper_claims WHERE paper_id = ? ORDER BY position");
    st.bind(1, paperId);
    while (st.step())
        out.append(claimFromText(st.text(0)));
    return out;
}

void replacePaperClaims(Database &db, qint64 paperId, const QList<Claim> &claims)
{
    PaperClaimsWriter(db).write(paperId, claims, false);
}

PaperClaimsWriter::PaperClaimsWriter(Database &db)
    : m_clear(db.prepare("DELETE FROM paper_claims WHERE paper_id = ?"))
    , m_insert(db.prepare("INSERT INTO paper_claims(paper_id, position, kernel, claim) VALUES (?, ?, ?, ?)"))
{}

void PaperClaimsWriter::write(qint64 paperId, const QList<Claim> &claims, bool isNew)
{
    if (!isNew)
        m_clear.bind(1, paperId).run();
    if (claims.isEmpty())
        return;
    const QJsonArray all = claimsToJson(claims);
    for (int i = 0; i < claims.size(); ++i) {
        const QString json = QString::fromUtf8(QJsonDocument(all[i].toObject()).toJson(QJsonDocument::Compact));
        m_insert.bind(1, paperId).bind(2, i).bind(3, claims[i].kernel).bind(4, json).run();
    }
}

QList<Claim> Library::claims(qint64 id)
{
    return readPaperClaims(d->db, id);
}

QList<std::pair<qint64, Claim>> Library::claimsForKernel(const QString &kernel)
{
    QList<std::pair<qint64, Claim>> out;
    auto st = d->db.prepare("SELECT paper_id, claim FROM paper_claims WHERE kernel = ? ORDER BY paper_id, position");
    st.bind(1, kernel);
    while (st.step())
        out.append({st.int64(0), claimFromText(st.text(1))});
    return out;
}

QString Library::setClaims(qint64 id, const QList<Claim> &claims)
{
    auto p = paper(id);
    if (!p)
        throw LibraryError(QStringLiteral("no paper with id %1").arg(id));
    const QList<ClaimFile> files = claimFilesOf(*p);
    // The files first: when one cannot be written, those already written get their old text
    // back and the index keeps the old claims.
    for (int i = 0; i < files.size(); ++i) {
        const ClaimFile &file = files[i];
        QString text;
        if (file.exists) {
            text = replaceClaimsInPrototxt(file.text, claims);
        } else {
            Paper withClaims = *p;
            withClaims.claims = claims;
            text = paperInfoText(withClaims);
        }
        QString error;
        if (writeFileAtomicallyMakingFolders(file.path, text.toUtf8(), &error))
            continue;
        QStringList notRestored;
        for (int j = 0; j < i; ++j) {
            QString ignored;
            const bool restored =
                files[j].exists ? writeFileAtomicallyMakingFolders(files[j].path, files[j].text.toUtf8(), &ignored)
                                : QFile::remove(files[j].path);
            if (!restored)
                notRestored.append(files[j].path);
        }
        QString message =
            QStringLiteral("cannot save the claims of %1: %2; the index keeps the previous claims").arg(p->key, error);
        if (!notRestored.isEmpty())
            message +=
                QStringLiteral(" (but %1 already holds the new ones)").arg(notRestored.join(QStringLiteral(", ")));
        throw LibraryError(message);
    }
    Transaction tx(d->db);
    replacePaperClaims(d->db, id, claims);
    auto st = d->db.prepare("UPDATE papers SET updated_at = ? WHERE id = ?");
    st.bind(1, nowSecs()).bind(2, id).run();
    tx.commit();
    return files.isEmpty() ? QString() : files.first().path;
}

} // namespace paperlab
