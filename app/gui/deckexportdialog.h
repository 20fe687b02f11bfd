#pragma once
// File > Export > Slides: the deck's title (the reading group's name) and date, as
// `paperlab-cli export slides --group … --date …` takes them, and where the file goes.
// The title is remembered for the next deck.

#include "slidedeck.h"

#include <QDialog>

class QDateEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace paperlab::gui {

class DeckExportDialog : public QDialog {
    Q_OBJECT
public:
    // `format`: "slides" (PDF) or "html"; `paperCount` is said in the title.
    DeckExportDialog(const QString &format, int paperCount, QWidget *parent = nullptr);

    DeckOptions options() const;
    QString path() const;

    QLineEdit *titleEdit() const { return m_title; }
    QDateEdit *dateEdit() const { return m_date; }
    QLineEdit *pathEdit() const { return m_path; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    QLabel *pathProblem() const { return m_pathProblem; } // why the file cannot go there; hidden if it can

    void accept() override;

private:
    void updateButtons();

    QString m_format;
    QLineEdit *m_title = nullptr;
    QDateEdit *m_date = nullptr;
    QLineEdit *m_path = nullptr;
    QLabel *m_pathProblem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace paperlab::gui
