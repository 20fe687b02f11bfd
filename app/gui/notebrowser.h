#pragma once
// A read-only view of a rendered note: QTextBrowser plus placeholders for missing images,
// re-rendering when the palette changes (light/dark) or the view gets narrower than an image.
// A note past kNotePreviewChars shows its first part and a "Show all" link: laying out a
// 100 MB note froze the app for minutes (and took 1.7 GB) when its paper was selected.

#include <QTextBrowser>

namespace paperlab::gui {

// Characters of a long note rendered until the user asks for all of it (cut at a line end).
inline constexpr qsizetype kNotePreviewChars = 1024 * 1024;
// The href of the "Show all" link.
inline constexpr char kShowAllNoteUrl[] = "paperlab-note:show-all";

class NoteBrowser : public QTextBrowser {
    Q_OBJECT
public:
    explicit NoteBrowser(QWidget *parent = nullptr);

    void showNote(const QString &markdown, const QString &baseDir, const QString &libraryRoot = {});
    void showMessage(const QString &html);
    // The library folder: relative links of notes may lead anywhere inside it.
    void setLibraryRoot(const QString &root) { m_libraryRoot = root; }
    QString markdown() const { return m_markdown; }
    // Whether the note on show was cut to its first kNotePreviewChars characters.
    bool isPreview() const { return m_preview; }
    void showAll();

    QVariant loadResource(int type, const QUrl &name) override;

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rerender();
    QString m_markdown;
    QString m_baseDir;
    QString m_libraryRoot;
    int m_renderedWidth = 0;
    bool m_showAll = false;
    bool m_preview = false;
};

// Inline: the paperlab_web plugin's note view uses it too.
inline bool paletteIsDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace paperlab::gui
