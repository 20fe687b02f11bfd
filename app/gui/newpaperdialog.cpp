#include "newpaperdialog.h"

#include "textnormalize.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace paperlab::gui {

NewPaperDialog::NewPaperDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("New paper"));
    setObjectName(QStringLiteral("newPaperDialog"));
    auto *form = new QFormLayout(this);
    m_arxiv = new QLineEdit(this);
    m_arxiv->setPlaceholderText(tr("2405.12345 or https://arxiv.org/abs/2405.12345"));
    m_arxivHint = new QLabel(this);
    m_arxivHint->setEnabled(false);
    form->addRow(tr("Add from &arXiv id/URL:"), m_arxiv);
    form->addRow(QString(), m_arxivHint);
    m_title = new QLineEdit(this);
    form->addRow(tr("&Title:"), m_title);
    m_abbr = new QLineEdit(this);
    m_abbr->setPlaceholderText(tr("short name, e.g. FlashAttention"));
    form->addRow(tr("&Short name:"), m_abbr);
    m_url = new QLineEdit(this);
    form->addRow(tr("&URL:"), m_url);
    m_venue = new QLineEdit(this);
    m_venue->setPlaceholderText(tr("ICML'25, NeurIPS 2024, arXiv…"));
    form->addRow(tr("&Venue:"), m_venue);
    m_year = new QSpinBox(this);
    m_year->setRange(0, 2100);
    m_year->setSpecialValueText(tr("unknown"));
    form->addRow(tr("&Year:"), m_year);
    m_institutions = new QLineEdit(this);
    m_institutions->setPlaceholderText(tr("separated by ;"));
    form->addRow(tr("&Institutions:"), m_institutions);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add paper"));
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_arxiv, &QLineEdit::textChanged, this, &NewPaperDialog::fillFromArxiv);
    connect(m_title, &QLineEdit::textChanged, this, &NewPaperDialog::validate);
    validate();
    resize(560, sizeHint().height());
}

int NewPaperDialog::yearFromArxivId(const QString &id)
{
    // New-style ids are YYMM.NNNNN; old-style ones (hep-th/9901001) carry YYMM after the slash.
    const QString digits = id.contains(QLatin1Char('/')) ? id.section(QLatin1Char('/'), 1) : id;
    if (digits.size() < 4)
        return 0;
    bool ok = false;
    const int yy = digits.left(2).toInt(&ok);
    const int mm = digits.mid(2, 2).toInt();
    if (!ok || mm < 1 || mm > 12)
        return 0;
    return yy >= 91 ? 1900 + yy : 2000 + yy;
}

void NewPaperDialog::fillFromArxiv()
{
    QString text = m_arxiv->text().trimmed();
    QString id = arxivIdFrom(text);
    if (id.isEmpty()) {
        // A bare id typed by hand ("2405.12345v2").
        static const QRegularExpression bare(QStringLiteral("^(\\d{4}\\.\\d{4,5})(v\\d+)?$"));
        const auto m = bare.match(text);
        if (m.hasMatch())
            id = m.captured(1);
    }
    m_arxivId = id;
    if (id.isEmpty()) {
        m_arxivHint->setText(text.isEmpty() ? QString() : tr("Not an arXiv id or URL"));
        return;
    }
    const int year = yearFromArxivId(id);
    m_arxivHint->setText(tr("arXiv %1 — year %2; the title is not known offline").arg(id).arg(year));
    m_url->setText(QStringLiteral("https://arxiv.org/abs/%1").arg(id));
    if (year)
        m_year->setValue(year);
    if (m_venue->text().isEmpty())
        m_venue->setText(QStringLiteral("arXiv"));
    if (m_title->text().isEmpty())
        m_title->setPlaceholderText(tr("title of arXiv:%1").arg(id));
    validate();
}

void NewPaperDialog::validate()
{
    // A paper needs a title, or at least an arXiv id to stand for it until one is typed.
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_title->text().trimmed().isEmpty() || !m_arxivId.isEmpty());
}

PaperRecord NewPaperDialog::record() const
{
    PaperRecord r;
    r.source.format = QStringLiteral("manual");
    r.title = m_title->text().trimmed();
    if (r.title.isEmpty() && !m_arxivId.isEmpty())
        r.title = QStringLiteral("arXiv:%1").arg(m_arxivId);
    r.abbr = m_abbr->text().trimmed();
    r.paperUrl = m_url->text().trimmed();
    r.arxivId = m_arxivId.isEmpty() ? arxivIdFrom(r.paperUrl) : m_arxivId;
    r.venueRaw = m_venue->text().trimmed();
    r.year = m_year->value();
    for (const QString &i : m_institutions->text().split(QLatin1Char(';'), Qt::SkipEmptyParts))
        if (!i.trimmed().isEmpty())
            r.institutions << i.trimmed();
    return r;
}

} // namespace paperlab::gui
