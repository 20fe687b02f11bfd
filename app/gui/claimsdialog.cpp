#include "claimsdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace paperlab::gui {
namespace {

// The columns, in the order a reader fills them: what is claimed first, how we measure last.
enum Column {
    Metric,
    Value,
    Unit,
    Baseline,
    Hardware,
    Setting,
    Quote,
    Location,
    Kernel,
    Variant,
    BaselineVariant,
    SweepParam,
    At,
    Params,
    BaselineKernel,
    ColumnCount
};

const char *const kHeaders[ColumnCount] = {"Metric",           "Value", "Unit",  "Baseline", "Hardware",
                                           "Setting",          "Quote", "Where", "Kernel",   "Our variant",
                                           "Baseline variant", "Sweep", "At",    "Settings", "Baseline kernel"};

QString atText(double at)
{
    return at > 0 ? QString::number(at, 'g', 10) : QString();
}

} // namespace

ClaimsDialog::ClaimsDialog(const QString &paperTitle, const QList<Claim> &claims, QWidget *parent)
    : QDialog(parent)
    , m_claims(claims)
{
    setWindowTitle(tr("Claims of %1").arg(paperTitle));
    auto *layout = new QVBoxLayout(this);
    auto *help = new QLabel(tr("Copy the figure and the sentence from the paper; a range is typed 1.5-2.0. "
                               "Settings are NAME=VALUE pairs separated by spaces (policy=quest)."),
                            this);
    help->setWordWrap(true);
    layout->addWidget(help);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("claimsTable"));
    QStringList headers;
    for (const char *h : kHeaders)
        headers << tr(h);
    m_table->setHorizontalHeaderLabels(headers);
    m_table->horizontalHeader()->setSectionResizeMode(Quote, QHeaderView::Stretch);
    layout->addWidget(m_table, 1);
    for (const Claim &c : claims)
        addRow(c);

    auto *rowButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add claim"), this);
    add->setObjectName(QStringLiteral("addClaim"));
    auto *remove = new QPushButton(tr("Remove claim"), this);
    remove->setObjectName(QStringLiteral("removeClaim"));
    connect(add, &QPushButton::clicked, this, [this] {
        Claim c;
        c.metric = QStringLiteral("speedup");
        c.unit = QStringLiteral("×");
        addRow(c);
        m_table->setCurrentCell(m_table->rowCount() - 1, Value);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
    });
    rowButtons->addWidget(add);
    rowButtons->addWidget(remove);
    rowButtons->addStretch();
    layout->addLayout(rowButtons);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("claimsError"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ClaimsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ClaimsDialog::reject);
    layout->addWidget(buttons);
    resize(1100, 360);
}

void ClaimsDialog::addRow(const Claim &c)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    const QString cells[ColumnCount] = {c.metric,
                                        c.value > 0 ? claimValueText(c) : QString(),
                                        c.unit,
                                        c.baseline,
                                        c.hardware,
                                        c.setting,
                                        c.quote,
                                        c.location,
                                        c.kernel,
                                        c.variant,
                                        c.baselineVariant,
                                        c.sweepParam,
                                        atText(c.at),
                                        c.params.join(QLatin1Char(' ')),
                                        c.baselineKernel};
    for (int col = 0; col < ColumnCount; ++col) {
        auto *item = new QTableWidgetItem(cells[col]);
        if (col == Quote)
            item->setToolTip(cells[col]);
        m_table->setItem(row, col, item);
    }
}

bool ClaimsDialog::readRows(QList<Claim> &out, QString &error) const
{
    out.clear();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        auto cell = [&](int col) {
            return m_table->item(row, col) ? m_table->item(row, col)->text().trimmed() : QString();
        };
        Claim c;
        c.metric = cell(Metric);
        if (!parseClaimValue(cell(Value), c)) {
            error =
                tr("Claim %1: the value '%2' is not a number or a range like 1.5-2.0").arg(row + 1).arg(cell(Value));
            return false;
        }
        c.unit = cell(Unit);
        c.baseline = cell(Baseline);
        c.hardware = cell(Hardware);
        c.setting = cell(Setting);
        c.quote = cell(Quote);
        c.location = cell(Location);
        c.kernel = cell(Kernel);
        c.variant = cell(Variant);
        c.baselineVariant = cell(BaselineVariant);
        c.sweepParam = cell(SweepParam);
        if (!cell(At).isEmpty()) {
            bool ok = false;
            c.at = cell(At).toDouble(&ok);
            if (!ok) {
                error = tr("Claim %1: 'At' must be a number (the claim's %2), not '%3'")
                            .arg(row + 1)
                            .arg(c.sweepParam, cell(At));
                return false;
            }
        }
        c.params = cell(Params).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        c.baselineKernel = cell(BaselineKernel);
        if (const QStringList problems = claimProblems(c); !problems.isEmpty()) {
            error = tr("Claim %1: %2").arg(row + 1).arg(problems.join(QStringLiteral("; ")));
            return false;
        }
        out.append(c);
    }
    return true;
}

void ClaimsDialog::accept()
{
    QList<Claim> rows;
    QString error;
    if (!readRows(rows, error)) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    m_claims = rows;
    QDialog::accept();
}

} // namespace paperlab::gui
