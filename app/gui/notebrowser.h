#pragma once
// A read-only view of a rendered note: QTextBrowser plus placeholders for missing images,
// re-rendering when the palette changes (light/dark) or the view gets narrower than an image.

#include <QTextBrowser>

namespace paperlab::gui {

class NoteBrowser : public QTextBrowser {
    Q_OBJECT
public:
    explicit NoteBrowser(QWidget *parent = nullptr);

    void showNote(const QString &markdown, const QString &baseDir, const QString &libraryRoot = {});
    void showMessage(const QString &html);
    QString markdown() const { return m_markdown; }

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
};

bool paletteIsDark(const QPalette &palette);

} // namespace paperlab::gui
