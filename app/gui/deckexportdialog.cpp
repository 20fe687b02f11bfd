#include "deckexportdialog.h"

#include "exportfolder.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

namespace paperlab::gui {
namespace {

constexpr char kTitleKey[] = "export/deckTitle";

} // namespace

DeckExportDialog::DeckExportDialog(const QString &format, int paperCount, QWidget *parent)
    : QDialog(parent)
    , m_format(format)
{
    const bool pdf = format == u"slides";
    setWindowTitle(pdf ? tr("Export slides (PDF) of %n paper(s)", nullptr, paperCount)
                       : tr("Export slides (HTML deck) of %n paper(s)", nullptr, paperCount));
    auto *form = new QFormLayout(this);

    m_title = new QLineEdit(QSettings().value(QLatin1String(kTitleKey), DeckOptions{}.group).toString(), this);
    m_title->setToolTip(tr("The first slide's title and every slide's footer"));
    form->addRow(tr("&Title:"), m_title);

    m_date = new QDateEdit(QDate::currentDate(), this);
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("d MMMM yyyy"));
    form->addRow(tr("&Date:"), m_date);

    auto *pathRow = new QHBoxLayout;
    const QString suffix = pdf ? QStringLiteral(".pdf") : QStringLiteral(".html");
    m_path =
        new QLineEdit(suggestedExportPath(
                          QStringLiteral("reading-group-%1%2").arg(QDate::currentDate().toString(Qt::ISODate), suffix)),
                      this);
    auto *browse = new QPushButton(tr("&Choose…"), this);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    auto *fileLabel = new QLabel(tr("&File:"), this); // a row of two widgets: the label needs its buddy
    fileLabel->setBuddy(m_path);
    form->addRow(fileLabel, pathRow);
    m_pathProblem = new QLabel(this); // a folder that cannot take the file, said before the deck is made
    m_pathProblem->setObjectName(QStringLiteral("pathProblem"));
    m_pathProblem->setWordWrap(true);
    m_pathProblem->hide();
    form->addRow(QString(), m_pathProblem);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));
    form->addRow(m_buttons);

    connect(browse, &QPushButton::clicked, this, [this, pdf] {
        const QString p = QFileDialog::getSaveFileName(this, windowTitle(), m_path->text(),
                                                       pdf ? tr("PDF (*.pdf)") : tr("HTML (*.html)"));
        if (!p.isEmpty())
            m_path->setText(p);
    });
    connect(m_title, &QLineEdit::textChanged, this, &DeckExportDialog::updateButtons);
    connect(m_path, &QLineEdit::textChanged, this, &DeckExportDialog::updateButtons);
    connect(m_path, &QLineEdit::textChanged, m_pathProblem, &QLabel::hide);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateButtons();
    resize(560, sizeHint().height());
}

DeckOptions DeckExportDialog::options() const
{
    DeckOptions o;
    o.group = m_title->text().trimmed();
    o.date = m_date->date();
    return o;
}

QString DeckExportDialog::path() const
{
    return m_path->text().trimmed();
}

void DeckExportDialog::accept()
{
    if (options().group.isEmpty() || path().isEmpty())
        return;
    if (const QString problem = exportFolderProblem(path()); !problem.isEmpty()) {
        m_pathProblem->setText(problem);
        m_pathProblem->show();
        m_path->setFocus();
        return;
    }
    QSettings().setValue(QLatin1String(kTitleKey), options().group);
    QDialog::accept();
}

void DeckExportDialog::updateButtons()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_title->text().trimmed().isEmpty() && !path().isEmpty());
}

} // namespace paperlab::gui
