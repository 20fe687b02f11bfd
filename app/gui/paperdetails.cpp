#include "paperdetails.h"

#include "papertablemodel.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QStringList>

namespace paperlab::gui {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PaperDetails", text);
}

} // namespace

QString paperDetailsHtml(const Paper &p)
{
    QStringList rows;
    auto row = [&rows](const QString &k, const QString &val) {
        if (!val.isEmpty())
            rows << QStringLiteral("<tr><td valign=\"top\"><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>").arg(k, val);
    };
    row(tr("Key"), p.key.toHtmlEscaped());
    row(tr("arXiv"), p.arxivId.toHtmlEscaped());
    row(tr("DOI"), p.doi.toHtmlEscaped());
    row(tr("Venue as written"), p.venueRaw.toHtmlEscaped());
    row(tr("Rating"), p.rating > 0 ? ratingStars(p.rating) : QString());
    // baseline.methods, as the library names them ("2022/FlashAttention"): the papers this
    // one compares with.
    QStringList methods;
    for (const QString &m : p.baselineMethods)
        methods << m.toHtmlEscaped();
    row(tr("Compared with"), methods.join(QStringLiteral("<br>")));
    // update_time: when the paper's library last changed it, not when PaperLab did.
    row(tr("Updated in its library"),
        p.updateTime > 0 ? QLocale().toString(QDateTime::fromSecsSinceEpoch(p.updateTime), QLocale::ShortFormat)
                         : QString());
    row(tr("Note file"), p.notePath.toHtmlEscaped());
    row(tr("Added"), QLocale().toString(p.addedAt, QLocale::ShortFormat));
    row(tr("Updated"), QLocale().toString(p.updatedAt, QLocale::ShortFormat));
    row(tr("Note written"), p.noteWritten ? tr("yes") : QString());
    row(tr("Slides made"), p.slidesMade ? tr("yes") : QString());
    // Fields PaperLab has no column for, shown as the library wrote them (they go back
    // into the library's file on export).
    if (!p.extraFields.trimmed().isEmpty())
        row(tr("Other fields"), QStringLiteral("<pre>%1</pre>").arg(p.extraFields.trimmed().toHtmlEscaped()));
    QString prov;
    for (const ProvenanceEntry &e : p.provenance)
        prov += QStringLiteral("<li>%1 — %2:%3</li>")
                    .arg(e.format.toHtmlEscaped(), QFileInfo(e.file).fileName().toHtmlEscaped())
                    .arg(e.line);
    return QStringLiteral("<table>%1</table><p><b>%2</b></p><ul>%3</ul>")
        .arg(rows.join(QString()), tr("Sources"), prov);
}

} // namespace paperlab::gui
