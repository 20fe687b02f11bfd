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

ClaimFile claimFileOf(const Paper &p)
{
    // The EfficientPaper file the paper was imported from: its other fields stay as they are.
    for (const ProvenanceEntry &e : p.provenance) {
        if (e.format != u"efficientpaper" || !QFileInfo(e.file).isFile() || fileInPaperLibrary(p, e.file).isEmpty())
            continue;
        QFile f(e.file);
        if (!f.open(QIODevice::ReadOnly))
            throw LibraryError(
                QStringLiteral("%1: cannot read it to save the claims of %2: %3").arg(e.file, p.key, f.errorString()));
        return {e.file, QString::fromUtf8(f.readAll()), true};
    }
    if (p.libraryFolder.isEmpty())
        return {};
    const QString year = p.year > 0 ? QString::number(p.year) : QStringLiteral("unknown");
    const QString path = QDir(p.libraryFolder).filePath(QStringLiteral("meta/%1/%2.prototxt").arg(year, p.key));
    // A key is data too ("../../x" from a BibTeX file): the file stays in the library.
    if (!isInsideFolder(path, p.libraryFolder))
        throw LibraryError(QStringLiteral("%1: not written: the key %2 would put it outside the library folder %3")
                               .arg(path, p.key, p.libraryFolder));
    QFile f(path);
    if (f.exists() && f.open(QIODevice::ReadOnly))
        return {path, QString::fromUtf8(f.readAll()), true};
    return {path, {}, false};
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
    auto del = db.prepare("DELETE FROM paper_claims WHERE paper_id = ?");
    del.bind(1, paperId).run();
    auto ins = db.prepare("INSERT INTO paper_claims(paper_id, position, kernel, claim) VALUES (?, ?, ?, ?)");
    const QJsonArray all = claimsToJson(claims);
    for (int i = 0; i < claims.size(); ++i) {
        const QString json = QString::fromUtf8(QJsonDocument(all[i].toObject()).toJson(QJsonDocument::Compact));
        ins.bind(1, paperId).bind(2, i).bind(3, claims[i].kernel).bind(4, json).run();
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
    const ClaimFile file = claimFileOf(*p);
    // The file first: when it cannot be written, the index keeps the old claims.
    if (!file.path.isEmpty()) {
        QString text;
        if (file.exists) {
            text = replaceClaimsInPrototxt(file.text, claims);
        } else {
            p->claims = claims;
            text = paperInfoText(*p);
        }
        QString error;
        if (!writeFileAtomicallyMakingFolders(file.path, text.toUtf8(), &error))
            throw LibraryError(
                QStringLiteral("cannot save the claims of %1: %2; the file and the index keep the previous claims")
                    .arg(p->key, error));
    }
    Transaction tx(d->db);
    replacePaperClaims(d->db, id, claims);
    auto st = d->db.prepare("UPDATE papers SET updated_at = ? WHERE id = ?");
    st.bind(1, nowSecs()).bind(2, id).run();
    tx.commit();
    return file.path;
}

} // namespace paperlab
