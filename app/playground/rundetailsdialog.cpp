#include "rundetailsdialog.h"

#include "rundetails.h"

#include <QDialogButtonBox>
#include <QVBoxLayout>

namespace paperlab::playground {

RunDetailsView::RunDetailsView(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("runDetailsView"));
    setOpenLinks(false);
}

void RunDetailsView::setRun(const RunRecord &run)
{
    setHtml(runDetailsHtml(run));
}

RunDetailsDialog::RunDetailsDialog(const RunRecord &run, QWidget *parent)
    : QDialog(parent)
    , m_view(new RunDetailsView(this))
{
    setObjectName(QStringLiteral("runDetails"));
    setWindowTitle(tr("Run details — %1").arg(run.name));
    m_view->setRun(run);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(620, 520);
}

QString RunDetailsDialog::text() const
{
    return m_view->toPlainText();
}

} // namespace paperlab::playground
