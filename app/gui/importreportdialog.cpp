#include "importreportdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace paperlab::gui {

ImportReportDialog::ImportReportDialog(const ImportReport &report, const QStringList &paths, const QString &failure,
                                       QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("importReport"));
    setWindowTitle(tr("Import report"));
    resize(820, 460);
    auto *v = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QStringList names;
    for (const QString &p : paths)
        names << QFileInfo(p).fileName();
    QString text;
    if (!failure.isEmpty())
        text = tr("<b>The import failed</b> and the library was left as it was:<br>%1").arg(failure.toHtmlEscaped());
    else if (report.cancelled)
        text = tr("<b>Import cancelled</b>; the library was left as it was.");
    else
        text = tr("<b>%1 added</b>, %2 merged into existing papers, %3 unchanged, %4 skipped.")
                   .arg(report.added)
                   .arg(report.merged)
                   .arg(report.unchanged)
                   .arg(report.skipped);
    // "(each listed below)" and "0 error(s), 0 warning(s)" above an empty space read as if
    // the list had failed to load: with nothing to list, the report says so in words.
    const bool listed = !report.diagnostics.isEmpty();
    text += QStringLiteral("<br>") +
            (listed ? tr("%n error(s)", nullptr, report.errors()) + QStringLiteral(", ") +
                          tr("%n warning(s)", nullptr, report.warnings()) + tr(", each listed below")
                    : tr("No warnings or errors")) +
            QStringLiteral(" — ") + names.join(QStringLiteral(", ")).toHtmlEscaped();
    m_summary->setText(text);
    v->addWidget(m_summary);

    m_list = new QTreeWidget(this);
    m_list->setHeaderLabels({tr("Location"), tr("Message")});
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    const QIcon err = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warn = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const Diagnostic &d : report.diagnostics) {
        QString where = d.file;
        if (d.line > 0)
            where += QStringLiteral(":%1").arg(d.line);
        if (d.column > 0)
            where += QStringLiteral(":%1").arg(d.column);
        auto *item = new QTreeWidgetItem(m_list, {where, d.message});
        item->setIcon(0, d.severity == Diagnostic::Severity::Error ? err : warn);
        item->setToolTip(0, d.file);
        item->setToolTip(1, d.message);
        item->setData(0, Qt::UserRole, d.toString());
    }
    m_list->setVisible(listed);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this,
            [](QTreeWidgetItem *item) { QApplication::clipboard()->setText(item->text(0)); });
    v->addWidget(m_list, 1);
    if (!listed)
        v->addStretch(1); // the summary stays at the top, not floating in the middle

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    v->addWidget(buttons);
    if (!listed)
        resize(560, sizeHint().height()); // no list to make room for
}

QString ImportReportDialog::summaryText() const
{
    return m_summary->text();
}

QStringList ImportReportDialog::diagnosticLines() const
{
    QStringList out;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        out << m_list->topLevelItem(i)->text(0) + QStringLiteral(": ") + m_list->topLevelItem(i)->text(1);
    return out;
}

} // namespace paperlab::gui
