#pragma once
// The paper page's "Claims" tab: each claim of the paper in its own words, and beside it
// "reproduced / not reproduced on <GPU>" from the playground's stored runs
// (playground/claimcheck.h). "Edit claims…" opens ClaimsDialog; the edit goes through the
// LibraryWriter and lands in the index and the paper's prototxt (Library::setClaims).

#include "paperpage.h"

class QLabel;
class QPushButton;

namespace paperlab::gui {

class LibraryWriter;

class ClaimsSection : public PaperPageSection {
    Q_OBJECT
public:
    ClaimsSection(Library *library, LibraryWriter *writer, QWidget *parent = nullptr);

    void showPaper(const Paper *paper) override;
    // The claims as shown (HTML), for tests and screenshots.
    QString shownText() const;
    QPushButton *editButton() const { return m_edit; }
    // Saves `claims` as the paper's (what the dialog's Save does).
    void saveClaims(const QList<Claim> &claims);

private:
    void render();
    void openEditor();

    Library *m_library;
    LibraryWriter *m_writer;
    qint64 m_paperId = 0;
    QString m_key;
    QString m_title;
    QList<Claim> m_claims;
    QLabel *m_text = nullptr;
    QPushButton *m_edit = nullptr;
};

} // namespace paperlab::gui
