#pragma once
// "New paper": a paper typed in by hand. The arXiv field takes an id or any arXiv URL and
// fills, offline, what can be known from it: the id, the year (from YYMM) and the link.

#include "paperrecord.h"

#include <QDialog>

class QLineEdit;
class QSpinBox;
class QLabel;
class QDialogButtonBox;

namespace paperlab::gui {

class NewPaperDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewPaperDialog(QWidget *parent = nullptr);

    PaperRecord record() const;
    QLineEdit *arxivEdit() const { return m_arxiv; }
    QLineEdit *titleEdit() const { return m_title; }
    QLineEdit *urlEdit() const { return m_url; }
    QSpinBox *yearEdit() const { return m_year; }

    // "2405.12345" -> 2024; 0 when the id does not carry a plausible date.
    static int yearFromArxivId(const QString &id);

private:
    void fillFromArxiv();
    void validate();

    QLineEdit *m_arxiv = nullptr;
    QLabel *m_arxivHint = nullptr;
    QLineEdit *m_title = nullptr;
    QLineEdit *m_abbr = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_venue = nullptr;
    QSpinBox *m_year = nullptr;
    QLineEdit *m_institutions = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QString m_arxivId;
};

} // namespace paperlab::gui
