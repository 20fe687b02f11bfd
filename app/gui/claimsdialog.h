#pragma once
// Edits a paper's claims: one row per claim, a column per Claim field. The figure is typed
// as "2.1" or "1.5-2.0"; a row the model refuses (no value, an unknown metric) is named
// in a message and the dialog stays open, so nothing typed is lost.

#include "claim.h"

#include <QDialog>

class QTableWidget;
class QLabel;

namespace paperlab::gui {

class ClaimsDialog : public QDialog {
    Q_OBJECT
public:
    ClaimsDialog(const QString &paperTitle, const QList<Claim> &claims, QWidget *parent = nullptr);

    QList<Claim> claims() const { return m_claims; }
    QTableWidget *table() const { return m_table; }
    // The claims the rows hold; false with `error` naming the row and field that is wrong.
    bool readRows(QList<Claim> &out, QString &error) const;

    void accept() override;

private:
    void addRow(const Claim &c);

    QTableWidget *m_table = nullptr;
    QLabel *m_error = nullptr;
    QList<Claim> m_claims;
};

} // namespace paperlab::gui
