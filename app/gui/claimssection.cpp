#include "claimssection.h"

#include "claimcheck.h"
#include "claimsdialog.h"
#include "librarywriter.h"
#include "mathtext.h"
#include "runstore.h"

#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace paperlab::gui {

ClaimsSection::ClaimsSection(Library *library, LibraryWriter *writer, QWidget *parent)
    : PaperPageSection(parent)
    , m_library(library)
    , m_writer(writer)
{
    auto *layout = new QVBoxLayout(this);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_text = new QLabel(scroll);
    m_text->setObjectName(QStringLiteral("claimsText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setMargin(8);
    scroll->setWidget(m_text);
    layout->addWidget(scroll, 1);
    m_edit = new QPushButton(tr("Edit claims…"), this);
    m_edit->setObjectName(QStringLiteral("editClaims"));
    connect(m_edit, &QPushButton::clicked, this, &ClaimsSection::openEditor);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_edit);
    buttons->addStretch();
    layout->addLayout(buttons);
    showPaper(nullptr);
}

void ClaimsSection::showPaper(const Paper *paper)
{
    m_paperId = paper ? paper->id : 0;
    m_key = paper ? paper->key : QString();
    m_title = paper ? (paper->abbr.isEmpty() ? mathAsUnicode(paper->title) : paper->abbr) : QString();
    m_claims = paper ? paper->claims : QList<Claim>{};
    m_edit->setEnabled(paper != nullptr);
    render();
}

QString ClaimsSection::shownText() const
{
    return m_text->text();
}

void ClaimsSection::render()
{
    if (!m_paperId) {
        m_text->setText(QString());
        return;
    }
    if (m_claims.isEmpty()) {
        m_text->setText(tr("<p>No claims recorded for this paper: it states no speed figure PaperLab checks, "
                           "or none has been copied from it yet. <i>Edit claims…</i> adds one.</p>"));
        return;
    }
    QString html;
    std::optional<RunStore> store;
    try {
        store.emplace(*m_library);
    } catch (const std::exception &) {
    }
    for (const Claim &c : std::as_const(m_claims)) {
        html += QStringLiteral("<p><b>%1</b>").arg(claimSummary(c).toHtmlEscaped());
        if (!c.setting.isEmpty())
            html += QStringLiteral(" (%1)").arg(c.setting.toHtmlEscaped());
        html += QStringLiteral("<br><i>“%1”</i>").arg(c.quote.toHtmlEscaped());
        if (!c.location.isEmpty())
            html += QStringLiteral(" — %1").arg(c.location.toHtmlEscaped());
        if (!c.kernel.isEmpty())
            html += tr("<br><small>measured with %1: %2 vs %3</small>")
                        .arg(c.kernel.toHtmlEscaped(), c.variant.toHtmlEscaped(),
                             (c.baselineVariant.isEmpty() ? tr("its peak") : c.baselineVariant).toHtmlEscaped());
        QList<playground::ClaimCheck> checks;
        try {
            if (store)
                checks = playground::checkClaim(c, *store);
        } catch (const std::exception &e) {
            html += tr("<br>runs could not be read: %1").arg(QString::fromUtf8(e.what()).toHtmlEscaped());
        }
        for (const playground::ClaimCheck &check : std::as_const(checks)) {
            const bool done = check.outcome == playground::ClaimCheck::Outcome::Reproduced ||
                              check.outcome == playground::ClaimCheck::Outcome::NotReproduced;
            const QString colour = check.outcome == playground::ClaimCheck::Outcome::Reproduced
                                       ? QStringLiteral("#1b7f3a")
                                   : done ? QStringLiteral("#b00020")
                                          : QStringLiteral("#666666");
            html += QStringLiteral("<br><span style=\"color:%1\">%2</span>")
                        .arg(colour, playground::claimCheckText(c, check).toHtmlEscaped());
        }
        html += QStringLiteral("</p>");
    }
    m_text->setText(html);
}

void ClaimsSection::openEditor()
{
    if (!m_paperId)
        return;
    ClaimsDialog dialog(m_title, m_claims, this);
    if (dialog.exec() == QDialog::Accepted)
        saveClaims(dialog.claims());
}

void ClaimsSection::saveClaims(const QList<Claim> &claims)
{
    const qint64 id = m_paperId;
    m_writer->submit(
        tr("claims of %1").arg(m_key), [id, claims](Library &lib) { return lib.setClaims(id, claims); }, this,
        [this, id, claims](const QString &) {
            if (m_paperId != id)
                return;
            m_claims = claims;
            render();
        });
}

} // namespace paperlab::gui
