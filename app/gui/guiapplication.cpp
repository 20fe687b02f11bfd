#include "guiapplication.h"

#include "englishplurals.h"

#include <QMessageBox>

#include <cstdio>
#include <exception>

namespace paperlab::gui {

GuiApplication::GuiApplication(int &argc, char **argv)
    : QApplication(argc, argv)
{
    installTranslator(new EnglishPlurals(this));
}

bool GuiApplication::notify(QObject *receiver, QEvent *event)
{
    try {
        return QApplication::notify(receiver, event);
    } catch (const std::exception &e) {
        const QString message = QString::fromUtf8(e.what());
        std::fprintf(stderr, "paperlab: %s\n", qPrintable(message));
        QMessageBox::warning(activeWindow(), QStringLiteral("PaperLab"),
                             tr("That did not work:\n%1\n\nNothing else was changed.").arg(message));
    } catch (...) {
        std::fprintf(stderr, "paperlab: unknown error in an event handler\n");
    }
    return false;
}

} // namespace paperlab::gui
