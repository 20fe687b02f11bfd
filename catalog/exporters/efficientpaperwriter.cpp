#include "efficientpaperwriter.h"

#include "../claimproto.h"
#include "../safefile.h"
#include "../textnormalize.h"
#include "paper.pb.h"

#include <google/protobuf/text_format.h>

#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace paperlab {
namespace {

bool writeFile(const QString &path, const QByteArray &data, QStringList &errors)
{
    QString error;
    if (writeFileAtomicallyMakingFolders(path, data, &error))
        return true;
    errors.append(error);
    return false;
}

QString yearFolder(const Paper &p)
{
    return p.year > 0 ? QString::number(p.year) : QStringLiteral("unknown");
}

} // namespace

QString paperInfoText(const Paper &p)
{
    efficient_paper::PaperInfo info;
    auto *paper = info.mutable_paper();
    paper->set_title(p.title.toStdString());
    if (!p.abbr.isEmpty()) paper->set_abbr(p.abbr.toStdString());
    if (!p.paperUrl.isEmpty()) paper->set_url(p.paperUrl.toStdString());
    for (const QString &a : p.authors) paper->add_authors(a.toStdString());
    for (const QString &i : p.institutionList) paper->add_institutions(i.toStdString());
    if (!p.venue.isEmpty()) info.mutable_pub()->set_where(p.venue.toStdString());
    if (p.year > 0) info.mutable_pub()->set_year(p.year);
    if (!p.venueRaw.isEmpty() && p.venueRaw != p.venue) info.set_venue_raw(p.venueRaw.toStdString());
    if (!p.codeUrl.isEmpty()) {
        info.mutable_code()->set_type("code");
        info.mutable_code()->set_url(p.codeUrl.toStdString());
    }
    if (!p.note.isEmpty()) info.mutable_note()->set_url("note.md");
    if (!p.coverPath.isEmpty()) info.mutable_cover()->set_url(QFileInfo(p.coverPath).fileName().toStdString());
    const auto *words = efficient_paper::Keyword::Word_descriptor();
    // A parent topic PaperLab adds ("KV Cache" above "KV Cache Quantization") is not
    // written: EfficientPaper's own enum has no kv_cache word, and re-reading adds it again.
    QSet<QString> parents;
    for (const QString &t : p.topicList) parents.insert(topicParentKey(topicKey(t)));
    for (const QString &t : p.topicList) {
        if (parents.contains(topicKey(t))) continue;
        if (const auto *v = words->FindValueByName(topicKey(t).toStdString()))
            info.mutable_keyword()->add_words(efficient_paper::Keyword::Word(v->number()));
        else
            info.add_topics(t.toStdString());
    }
    if (!p.arxivId.isEmpty()) info.set_arxiv_id(p.arxivId.toStdString());
    auto addLink = [&info](const char *kind, const QString &url) {
        if (url.isEmpty()) return;
        auto *l = info.add_links();
        l->set_kind(kind);
        l->set_url(url.toStdString());
    };
    addLink("openreview", p.openReviewUrl);
    addLink("slides", p.slidesUrl);
    if (p.status != ReadingStatus::Unread || p.noteWritten || p.slidesMade) {
        auto *r = info.mutable_reading();
        r->set_status(readingStatusName(p.status).toStdString());
        if (p.noteWritten) r->set_note_written(true);
        if (p.slidesMade) r->set_slides_made(true);
    }
    for (const QString &m : p.baselineMethods) info.mutable_baseline()->add_methods(m.toStdString());
    if (p.updateTime > 0) info.set_update_time(p.updateTime);
    if (p.rating > 0) info.set_rating(p.rating);
    for (const Claim &c : p.claims) claimToProto(c, info.add_claims());
    std::string out;
    google::protobuf::TextFormat::Printer printer;
    printer.SetUseUtf8StringEscaping(true);
    printer.PrintToString(info, &out);
    QString text = QString::fromStdString(out);
    // Fields PaperLab has no place for go back as the library wrote them.
    if (!p.extraFields.isEmpty()) text += p.extraFields + QLatin1Char('\n');
    return text;
}

WriteReport writeEfficientPaperFolder(const QList<Paper> &papers, const QString &root)
{
    WriteReport report;
    const QDir dir(root);
    for (const Paper &p : papers) {
        const QString year = yearFolder(p);
        const QString meta = dir.filePath(QStringLiteral("meta/%1/%2.prototxt").arg(year, p.key));
        if (!writeFile(meta, paperInfoText(p).toUtf8(), report.errors))
            continue;
        ++report.papers;
        if (!p.note.isEmpty()) {
            const QString note = dir.filePath(QStringLiteral("notes/%1/%2/note.md").arg(year, p.key));
            if (writeFile(note, p.note.toUtf8(), report.errors)) ++report.notes;
        }
        // Only a cover of the paper's own library is copied: never some other file it names.
        if (!fileInPaperLibrary(p, p.coverPath).isEmpty()) {
            const QString cover = dir.filePath(QStringLiteral("notes/%1/%2/%3").arg(year, p.key, QFileInfo(p.coverPath).fileName()));
            if (QFileInfo(cover).absoluteFilePath() != QFileInfo(p.coverPath).absoluteFilePath()) {
                QFile in(p.coverPath);
                if (!in.open(QIODevice::ReadOnly))
                    report.errors.append(QStringLiteral("%1: cannot read the cover: %2").arg(p.coverPath, in.errorString()));
                else
                    writeFile(cover, in.readAll(), report.errors);
            }
        }
    }
    return report;
}

} // namespace paperlab
